"""Events assignment reacts to (wired in services/assignment/subscriptions.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from services.assignment.field_visits.service import record_report
from services.assignment.placing.service import arrival_of, receive_cases
from services.assignment.placing.store import set_first_overdue
from services.assignment.strategy.service import contacts_made, local_day, replan
from shared.bus.handlers import Handled, batched
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import (
    CaseImported,
    CaseUpdated,
    ContactAttempted,
    FieldVisitReported,
)
from shared.logging import get_logger
from shared.pastdue import first_overdue_of

log = get_logger(__name__)


@batched
def on_cases_imported(items: Sequence[Handled[CaseImported]]) -> None:
    for _, event in items:
        if event.case_id is None:
            raise ValueError("CaseImported without case_id")
    first = items[0][0]
    today = local_day(first.now)
    receive_cases(
        first.session,
        first.now,
        [arrival_of(uow, event.case_id, event.payload, today) for uow, event in items],
    )


@batched
def on_past_due_changed(items: Sequence[Handled[CaseUpdated]]) -> None:
    """The bank's later word on when a case fell overdue: keep the new first overdue day
    (for the rules, the blacklist and the ladder) and replan the case's next action."""
    changed = {
        e.case_id: first_overdue_of(e.payload.past_due)
        for _, e in items
        if e.case_id is not None and e.payload.past_due is not None
    }
    if not changed:
        return
    first = items[0][0]
    set_first_overdue(first.session, changed)
    replan(first.session, list(changed), first.now)


@batched
def on_contact_attempted(items: Sequence[Handled[ContactAttempted]]) -> None:
    """Today's step was worked: the case's next action moves on to the next step."""
    by_day: dict[date, list[str]] = defaultdict(list)
    moments = {}
    for _, event in items:
        if event.case_id is not None:
            day = local_day(event.payload.attempted_at)
            by_day[day].append(event.case_id)
            moments[day] = event.payload.attempted_at
    session = items[0][0].session
    contacts_made(
        session,
        [(e.case_id, e.payload.attempted_at) for _, e in items if e.case_id is not None],
    )
    for day, case_ids in by_day.items():
        replan(session, case_ids, moments[day], done_today=True)


def on_field_visit_reported(uow: UnitOfWork, event: Envelope[FieldVisitReported]) -> None:
    if not record_report(uow.session, event.payload):
        log.warning("field_visit_report_ignored", visit_id=event.payload.visit_id)
