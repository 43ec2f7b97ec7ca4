"""Loading a year's published schedule. Never commits: the boundary does."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from services.assignment.models import WORKDAYS, AssignedCase
from services.assignment.placing.service import ASSIGN_WITHIN_WORKDAYS
from shared.bus.work import UnitOfWork
from shared.workdays import WorkdayCalendar, YearSchedule
from shared.workdays.tables import announcement, load_calendar, replace_year

CASES = AssignedCase.__table__


def load_year(uow: UnitOfWork, schedule: YearSchedule, loaded_by: str) -> int:
    """Keep the year, tell every service, and recount the estimated deadlines the year
    settles. Returns how many deadlines were recounted."""
    replace_year(uow.session, WORKDAYS, schedule, uow.now)
    uow.emit(announcement(schedule, loaded_by, uow.now), case_id=None)
    return _recount_estimated(uow.session, load_calendar(uow.session, WORKDAYS))


def _recount_estimated(session: Session, calendar: WorkdayCalendar) -> int:
    rows = session.execute(
        select(CASES.c.id, CASES.c.entered_at).where(
            CASES.c.due_estimated.is_(True), CASES.c.entered_at.is_not(None)
        )
    ).all()
    changes = []
    for case_id, entered_at in rows:
        deadline = calendar.add_workdays(entered_at, ASSIGN_WITHIN_WORKDAYS)
        changes.append({"case_id": case_id, "due": deadline.due, "estimated": deadline.estimated})
    if changes:
        session.execute(
            update(CASES)
            .where(CASES.c.id == bindparam("case_id"))
            .values(assign_due_by=bindparam("due"), due_estimated=bindparam("estimated")),
            changes,
        )
    return len(changes)
