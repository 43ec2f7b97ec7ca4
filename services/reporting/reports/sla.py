"""SLA breaches: each case that missed a deadline, with who, when it was due and when it
happened (None: not yet, and the report's end is past the due time).

Entry within 2 hours of receipt; assignment within 1 business day of entry; first contact
within 2 hours of assignment (the deadline assignment put on `CaseAssigned`); field visit
by the order's due time (2 business days, set by assignment); the overdue collection notice
(逾期催收函) issued by the end of the 7th day past due — for cases we had by then.
Incidents (seeds §12): an outage resolved within 12 hours of when it began; a field
emergency's supervisor told within 30 minutes of when it happened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting.directory import Collector
from services.reporting.models import LIVE
from services.reporting.periods import Period, local_midnight
from services.reporting.reports.activity import holder_at
from shared.clock import as_utc
from shared.workdays import WorkdayCalendar

RM = LIVE
ENTRY = timedelta(hours=2)
FIRST_CONTACT = timedelta(hours=2)
NOTICE_DAY = 7
NOTICE_KINDS = ("overdue_notice", "overdue_collection_notice")
OUTAGE_RESOLVED_WITHIN = timedelta(hours=12)
TELL_SUPERVISOR_WITHIN = timedelta(minutes=30)
SLA_KINDS = (
    "entry",
    "assignment",
    "first_contact",
    "field_visit",
    "letter_notice",
    "incident_outage",
    "incident_tell_supervisor",
)


@dataclass(frozen=True)
class Breach:
    kind: str
    case_id: str | None
    who: str | None
    due: datetime
    actual: datetime | None

    def as_row(self, directory: dict[str, Collector]) -> dict[str, Any]:
        person = directory.get(self.who or "")
        return {
            "kind": self.kind,
            "case_id": self.case_id,
            "who": self.who,
            "team_id": person.team_id if person else None,
            "branch_id": person.branch_id if person else None,
            "due": self.due,
            "actual": self.actual,
        }


def _late(due: datetime | None, actual: datetime | None, period: Period, now: datetime) -> bool:
    if due is None:
        return False
    due = as_utc(due)
    if not (period.start <= due < period.end):
        return False
    if actual is None:
        return min(now, period.end) > due
    return as_utc(actual) > due


def breaches(
    session: Session, period: Period, calendar: WorkdayCalendar, now: datetime
) -> list[Breach]:
    c = RM.cases
    found: list[Breach] = []
    first_holder = holder_at(c.c.case_id, c.c.first_assigned_at).label("first_holder")
    for r in session.execute(
        select(
            c.c.case_id,
            c.c.received_at,
            c.c.imported_at,
            c.c.first_assigned_at,
            c.c.due_first_action_by,
            c.c.first_attempt_at,
            c.c.overdue_since,
            first_holder,
        ).where(c.c.imported_at.is_not(None))
    ):
        imported = as_utc(r.imported_at)
        checks = [
            ("entry", None, r.received_at and as_utc(r.received_at) + ENTRY, imported),
            (
                "assignment",
                None,
                calendar.add_workdays(imported, 1).due,
                r.first_assigned_at,
            ),
        ]
        if r.first_assigned_at is not None:
            due = r.due_first_action_by or as_utc(r.first_assigned_at) + FIRST_CONTACT
            checks.append(("first_contact", r.first_holder, due, r.first_attempt_at))
        for kind, who, due, actual in checks:
            if _late(due, actual, period, now):
                found.append(Breach(kind, r.case_id, who, as_utc(due), actual and as_utc(actual)))
    found += _visits(session, period, now) + _notices(session, period, now)
    found += _incidents(session, period, now)
    return sorted(found, key=lambda b: (b.due, b.kind, b.case_id or ""))


def _incidents(session: Session, period: Period, now: datetime) -> list[Breach]:
    """An outage open past 12 hours; a field emergency told to the supervisor late. The
    one who raised it answers for it (HQ and admins see outages)."""
    i, found = RM.incidents, []
    for r in session.execute(select(i).where(i.c.occurred_at.is_not(None))):
        began = as_utc(r.occurred_at)
        checks = []
        if r.kind == "outage":
            checks.append(("incident_outage", began + OUTAGE_RESOLVED_WITHIN, r.resolved_at))
        if r.kind == "field_emergency":
            due = began + TELL_SUPERVISOR_WITHIN
            checks.append(("incident_tell_supervisor", due, r.supervisor_told_at))
        for kind, due, actual in checks:
            if _late(due, actual, period, now):
                found.append(Breach(kind, r.case_id, r.raised_by, due, actual and as_utc(actual)))
    return found


def _visits(session: Session, period: Period, now: datetime) -> list[Breach]:
    v = RM.visits
    return [
        Breach("field_visit", r.case_id, r.field_collector_id, as_utc(r.due_by),
               r.visited_at and as_utc(r.visited_at))
        for r in session.execute(select(v).where(v.c.due_by.is_not(None)))
        if _late(r.due_by, r.visited_at, period, now)
    ]  # fmt: skip


def _notices(session: Session, period: Period, now: datetime) -> list[Breach]:
    """The notice is due by the end of the 7th day past due (Shanghai)."""
    c, letters = RM.cases, RM.letters
    first_notice = (
        select(letters.c.case_id, func.min(letters.c.issued_at).label("issued_at"))
        .where(letters.c.kind.in_(NOTICE_KINDS))
        .group_by(letters.c.case_id)
        .subquery()
    )
    found = []
    for case_id, overdue_since, imported_at, issued_at in session.execute(
        select(c.c.case_id, c.c.overdue_since, c.c.imported_at, first_notice.c.issued_at)
        .join(first_notice, first_notice.c.case_id == c.c.case_id, isouter=True)
        .where(c.c.overdue_since.is_not(None), c.c.closed_at.is_(None), c.c.recalled_at.is_(None))
    ):
        due = local_midnight(overdue_since + timedelta(days=NOTICE_DAY + 1))
        if imported_at is None or as_utc(imported_at) >= due:
            continue  # the bank sent the case after the notice was due: not ours to miss
        if _late(due, issued_at, period, now):
            holder = session.execute(
                select(holder_at(c.c.case_id, due)).where(c.c.case_id == case_id)
            ).scalar()
            found.append(
                Breach("letter_notice", case_id, holder, due, issued_at and as_utc(issued_at))
            )
    return found


def counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_team: Counter[str] = Counter()
    by_branch: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    for row in rows:
        by_team[row["team_id"] or "-"] += 1
        by_branch[row["branch_id"] or "-"] += 1
        by_kind[row["kind"]] += 1
    return {"by_kind": dict(by_kind), "by_team": dict(by_team), "by_branch": dict(by_branch)}
