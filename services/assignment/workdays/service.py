"""Loading a year's published schedule, and recounting the working-day deadlines that were
estimated before it arrived. Never commits: the boundary does."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, update
from sqlmodel import Session, col

from services.assignment.field_visits.domain import OPEN, VISIT_WITHIN_WORKDAYS
from services.assignment.field_visits.models import FieldVisit
from services.assignment.models import WORKDAYS, AssignedCase
from services.assignment.placing.service import ASSIGN_WITHIN_WORKDAYS
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.events.catalog import FieldVisitOrdered
from shared.workdays import WorkdayCalendar, YearSchedule
from shared.workdays.tables import announcement, load_calendar, replace_year

CASES = AssignedCase.__table__


def load_year(uow: UnitOfWork, schedule: YearSchedule, loaded_by: str) -> int:
    """Keep the year, tell every service, and recount the estimated deadlines the year
    settles: the 1-business-day assignment clock and open visit orders' due dates.
    Returns how many deadlines were recounted."""
    replace_year(uow.session, WORKDAYS, schedule, uow.now)
    uow.emit(announcement(schedule, loaded_by, uow.now), case_id=None)
    calendar = load_calendar(uow.session, WORKDAYS)
    return _recount_assignment_clocks(uow.session, calendar) + _recount_visits(uow, calendar)


def _recount_assignment_clocks(session: Session, calendar: WorkdayCalendar) -> int:
    """From when each clock started: entry, or the return to the queue after a handover."""
    started = func.coalesce(CASES.c.assign_clock_from, CASES.c.entered_at)
    rows = session.execute(
        select(CASES.c.id, started).where(CASES.c.due_estimated.is_(True), started.is_not(None))
    ).all()
    changes = []
    for case_id, started_at in rows:
        deadline = calendar.add_workdays(as_utc(started_at), ASSIGN_WITHIN_WORKDAYS)
        changes.append({"case_id": case_id, "due": deadline.due, "estimated": deadline.estimated})
    if changes:
        session.execute(
            update(CASES)
            .where(CASES.c.id == bindparam("case_id"))
            .values(assign_due_by=bindparam("due"), due_estimated=bindparam("estimated")),
            changes,
        )
    return len(changes)


def _recount_visits(uow: UnitOfWork, calendar: WorkdayCalendar) -> int:
    """Open orders due 2 business days after their handoff, counted on an estimate: due
    again on the loaded year, announced again (``FieldVisitOrdered``) for contact's copy.
    A date an approved delay set is not counted in working days and stays."""
    visits = list(
        uow.session.execute(
            select(FieldVisit).where(
                col(FieldVisit.due_estimated).is_(True),
                col(FieldVisit.status).in_([s.value for s in OPEN]),
            )
        ).scalars()
    )
    for visit in visits:
        deadline = calendar.add_workdays(as_utc(visit.ordered_at), VISIT_WITHIN_WORKDAYS)
        visit.due_by, visit.due_estimated = deadline.due, deadline.estimated
        uow.session.add(visit)
        uow.emit(
            FieldVisitOrdered(
                visit_id=visit.id,
                field_collector_id=visit.field_collector_id,
                ordered_by=visit.phone_collector_id,
                due_by=deadline.due,
                client_id=visit.client_id,
                phone_collector_id=visit.phone_collector_id,
                due_estimated=deadline.estimated,
            ),
            case_id=visit.case_id,
        )
    return len(visits)
