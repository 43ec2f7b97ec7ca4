"""Submitting reports as frozen snapshots and reviewing them.

A collector submits their own weekly or monthly report; their team's supervisor (or an
admin) approves or returns it. A branch's monthly report is submitted by its supervisor or
branch manager and is approved only when both HQ and the branch manager have approved it.
The snapshot is the report's JSON as it was at submission, with its SHA-256; later events
never change it. A returned report can be submitted again (a new snapshot, next version).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any

from services.reporting.directory import Collector, collectors
from services.reporting.periods import period_of
from services.reporting.reports import collectors as collector_reports
from services.reporting.submissions import store
from shared.auth.principal import BRANCH_WIDE, COLLECTORS, EVERYTHING, Principal, Role
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import ReportApproved, ReportReturned, ReportSubmitted

PERIOD_OF_REPORT = {
    "collector_weekly": "week",
    "collector_monthly": "month",
    "branch_monthly": "month",
}
BRANCH_APPROVERS = (Role.HQ, Role.BRANCH_MANAGER)


def submit(
    uow: UnitOfWork, principal: Principal, report: str, on: date, remarks: str
) -> dict[str, Any]:
    session = uow.session
    period = period_of(PERIOD_OF_REPORT[report], on)  # type: ignore[arg-type]
    directory = collectors(session)
    if report == "branch_monthly":
        if principal.role not in (Role.SUPERVISOR, Role.BRANCH_MANAGER) or not principal.branch_id:
            raise ProblemError(403, "a branch report is submitted by its supervisor or manager")
        subject, team = principal.branch_id, None
        body = collector_reports.branch_monthly(session, period, subject, directory)
    else:
        if principal.role not in COLLECTORS:
            raise ProblemError(403, "a collector's report is submitted by the collector")
        me = directory.get(principal.subject) or Collector(
            principal.subject, principal.subject, principal.team_id, principal.branch_id
        )
        subject, team = me.collector_id, me.team_id
        scope = {me.collector_id: me}
        maker = (
            collector_reports.monthly
            if report == "collector_monthly"
            else collector_reports.progress
        )
        body = maker(session, period, scope)
    snapshot = json.dumps(body.as_json(), ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    earlier = store.latest_version(session, report, period.first.isoformat(), subject)
    if earlier is not None and earlier.status != "returned":
        raise Conflict(
            f"this report is already {earlier.status}; only a returned one is resubmitted"
        )
    row = {
        "submission_id": str(uuid.uuid4()),
        "report": report,
        "period": period.label,
        "period_start": period.first.isoformat(),
        "subject_id": subject,
        "team_id": team,
        "branch_id": principal.branch_id,
        "submitted_by": principal.subject,
        "submitted_at": uow.now,
        "remarks": remarks,
        "body": snapshot,
        "body_sha256": digest,
        "status": "submitted",
        "version": 1 if earlier is None else earlier.version + 1,
    }
    store.insert_submission(session, row)
    uow.emit(
        ReportSubmitted(
            submission_id=row["submission_id"],
            report=report,
            period=period.label,
            subject_id=subject,
            submitted_by=principal.subject,
            body_sha256=digest,
            submitted_at=uow.now,
        ),
        case_id=None,
    )
    return row


def may_see(principal: Principal, row: Any) -> bool:
    if principal.is_bank:
        return False
    if principal.role in EVERYTHING or row.submitted_by == principal.subject:
        return True
    if row.report == "branch_monthly":
        return principal.role in BRANCH_WIDE and principal.branch_id == row.subject_id
    return (
        principal.role in (Role.SUPERVISOR, Role.TEAM_LEAD)
        and principal.team_id is not None
        and principal.team_id == row.team_id
    )


def page_submissions(
    session: Any, principal: Principal, status: str | None, limit: int, after: str | None
) -> tuple[list[Any], str | None]:
    """The submissions the caller may see, the latest submitted first."""
    return store.page_visible(session, principal, status, limit, after)


def may_review(principal: Principal, row: Any) -> bool:
    if row.report == "branch_monthly":
        return principal.role == Role.HQ or (
            principal.role == Role.BRANCH_MANAGER and principal.branch_id == row.subject_id
        )
    if principal.role == Role.ADMIN:
        return True
    return (
        principal.role == Role.SUPERVISOR
        and principal.team_id is not None
        and principal.team_id == row.team_id
    )


def find(session: Any, principal: Principal, submission_id: str) -> Any:
    row = store.submission(session, submission_id)
    if row is None or not may_see(principal, row):
        raise NotFound("submission")
    return row


def review(
    uow: UnitOfWork, principal: Principal, submission_id: str, approve: bool, note: str
) -> Any:
    row = find(uow.session, principal, submission_id)
    if not may_review(principal, row):
        raise ProblemError(403, "you may not review this report")
    if row.status != "submitted":
        raise Conflict(f"the report is {row.status}, not waiting for review")
    role = principal.role.value if principal.role else "?"
    store.insert_review(
        uow.session,
        {
            "review_id": str(uuid.uuid4()),
            "submission_id": submission_id,
            "reviewer_id": principal.subject,
            "reviewer_role": role,
            "decision": "approved" if approve else "returned",
            "note": note,
            "at": uow.now,
        },
    )
    if not approve:
        status = "returned"
        uow.emit(
            ReportReturned(
                submission_id=submission_id,
                returned_by=principal.subject,
                reason=note,
                returned_at=uow.now,
            ),
            case_id=None,
        )
    else:
        status = "approved" if _complete(uow.session, row) else "submitted"
        uow.emit(
            ReportApproved(
                submission_id=submission_id,
                approved_by=principal.subject,
                role=role,
                complete=status == "approved",
                approved_at=uow.now,
            ),
            case_id=None,
        )
    store.set_status(uow.session, submission_id, status)
    return find(uow.session, principal, submission_id)


def _complete(session: Any, row: Any) -> bool:
    roles = store.approving_roles(session, row.submission_id)
    if row.report == "branch_monthly":
        return all(r.value in roles for r in BRANCH_APPROVERS)
    return bool(roles)


def reviews(session: Any, submission_id: str) -> list[Any]:
    return store.reviews(session, submission_id)
