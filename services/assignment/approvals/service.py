"""Requests for a supervisor's approval and their decisions. Never commits: the boundary
does, so a grant and its effect are one transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from services.assignment.agencies import effects as agency_placement
from services.assignment.approvals.domain import (
    MANY_AT_ONCE,
    DecisionRefused,
    Kind,
    Request,
    RequestInvalid,
    Status,
    check_request,
    decide,
)
from services.assignment.approvals.models import Approval
from services.assignment.closing.domain import Outcome
from services.assignment.closing.service import close_case
from services.assignment.field_visits.models import FieldVisit
from services.assignment.models import AssignedCase
from services.assignment.placing.by_hand import managed_case
from services.assignment.strategy.domain import Treatment
from services.assignment.strategy.service import local_day
from shared.auth.principal import Principal
from shared.bus.work import UnitOfWork
from shared.clock import SHANGHAI, to_local
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import ApprovalGranted, ApprovalRejected, ApprovalRequested

TREATMENT_OF = {
    Kind.LEGAL_ACTION: Treatment.LITIGATION,
    Kind.SETTLEMENT_IN_KIND: Treatment.SETTLEMENT_IN_KIND,
    Kind.SECURED_ARRANGEMENT: Treatment.SECURED_ARRANGEMENT,
}


def request_approval(
    uow: UnitOfWork, case: AssignedCase, request: Request, *, visit_id: str | None = None
) -> Approval:
    """File a request on a case, announced as ``ApprovalRequested``."""
    try:
        check_request(request, local_day(uow.now))
    except RequestInvalid as exc:
        raise ProblemError(422, str(exc)) from exc
    if request.kind not in MANY_AT_ONCE and _pending(uow.session, case.id, request.kind):
        raise Conflict(f"a {request.kind.value} request on this case is already pending")
    approval = Approval(
        id=str(uuid.uuid4()),
        case_id=case.id,
        client_id=case.client_id,
        team_id=case.team_id,
        kind=request.kind.value,
        status=Status.PENDING.value,
        reason=request.reason,
        next_steps=request.next_steps,
        amount=request.amount,
        until=request.until,
        visit_id=visit_id,
        requested_by=request.requested_by,
        requested_at=uow.now,
    )
    uow.session.add(approval)
    uow.session.flush()
    uow.emit(
        ApprovalRequested(
            approval_id=approval.id,
            kind=approval.kind,
            reason=approval.reason,
            next_steps=approval.next_steps,
            amount=approval.amount,
            requested_by=approval.requested_by,
            requested_at=uow.now,
        ),
        case_id=case.id,
    )
    return approval


def _pending(session: Session, case_id: str, kind: Kind) -> bool:
    found = session.exec(
        select(Approval.id).where(
            Approval.case_id == case_id,
            Approval.kind == kind.value,
            Approval.status == Status.PENDING.value,
        )
    ).first()
    return found is not None


def decidable(session: Session, principal: Principal, approval_id: str) -> Approval:
    """The request, if its case is one the caller manages; 404 otherwise."""
    approval = session.get(Approval, approval_id)
    if approval is None:
        raise NotFound("approval")
    try:
        managed_case(session, principal, approval.case_id)
    except NotFound:
        raise NotFound("approval") from None
    return approval


def _decide(uow: UnitOfWork, principal: Principal, approval: Approval, *, grant: bool) -> None:
    try:
        status = decide(
            Status(approval.status), approval.requested_by, principal.subject, grant=grant
        )
    except DecisionRefused as exc:
        raise Conflict(str(exc)) from exc
    approval.status = status.value
    approval.decided_by, approval.decided_at = principal.subject, uow.now


def grant(uow: UnitOfWork, principal: Principal, approval_id: str, note: str | None) -> Approval:
    """Approve a request and let it take effect, in the same transaction."""
    approval = decidable(uow.session, principal, approval_id)
    _decide(uow, principal, approval, grant=True)
    approval.decision_note = note
    take_effect(uow, approval)
    uow.session.add(approval)
    uow.emit(
        ApprovalGranted(
            approval_id=approval.id,
            kind=approval.kind,
            approved_by=principal.subject,
            decided_at=uow.now,
        ),
        case_id=approval.case_id,
    )
    return approval


def reject(uow: UnitOfWork, principal: Principal, approval_id: str, reason: str) -> Approval:
    approval = decidable(uow.session, principal, approval_id)
    _decide(uow, principal, approval, grant=False)
    approval.decision_note = reason
    if approval.kind == Kind.AGENCY_PLACEMENT.value:
        agency_placement.rejected(uow, approval.id, reason, principal.subject)
    uow.session.add(approval)
    uow.emit(
        ApprovalRejected(
            approval_id=approval.id,
            kind=approval.kind,
            rejected_by=principal.subject,
            reason=reason,
            decided_at=uow.now,
        ),
        case_id=approval.case_id,
    )
    return approval


def take_effect(uow: UnitOfWork, approval: Approval) -> None:
    """What a granted request changes. A write-off closes the case (``CaseClosed``); an
    agency placement moves the case to the agency (``CasePlacedWithAgency``); waivers and
    clients' requests are the granted record."""
    kind = Kind(approval.kind)
    case = uow.session.get(AssignedCase, approval.case_id)
    if case is None:
        raise NotFound("case")
    if kind is Kind.EXTENSION:
        case.extended_until = approval.until
    elif kind in TREATMENT_OF:
        case.treatment = TREATMENT_OF[kind].value
        case.treatment_by, case.treatment_at = approval.decided_by, uow.now
    elif kind is Kind.WRITE_OFF:
        close_case(uow, case.id, Outcome.WRITTEN_OFF, f"write-off approved: {approval.reason}")
    elif kind is Kind.AGENCY_PLACEMENT:
        agency_placement.approved(uow, approval.id, approval.reason, approval.decided_by or "")
    elif kind is Kind.VISIT_DELAY and approval.visit_id and approval.until:
        visit = uow.session.get(FieldVisit, approval.visit_id)
        if visit is not None:
            visit.due_by = _same_time_on(visit.due_by, approval.until)
            visit.due_estimated = False
            uow.session.add(visit)
    uow.session.add(case)


def _same_time_on(due: datetime, day: date) -> datetime:
    """The visit is due on the approved day at the clock time it was first due."""
    local = to_local(due)
    return datetime.combine(day, local.time(), tzinfo=SHANGHAI).astimezone(UTC)
