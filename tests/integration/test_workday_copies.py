"""A service that counts working days keeps its own copy of each year assignment loads."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.letters.models import WORKDAYS
from shared.events import new_event
from shared.workdays import parse_schedule_text
from shared.workdays.tables import announcement, load_calendar
from tests.conftest import FIXED_NOW


def loaded(text: str):
    schedule = parse_schedule_text(2027, text)
    return new_event(
        announcement(schedule, "admin-1", FIXED_NOW), occurred_at=FIXED_NOW, case_id=None
    )


def test_letters_uses_the_year_loaded_in_assignment_and_its_replacement(service_runtime) -> None:
    runtime = service_runtime("letters")
    start = datetime(2027, 9, 30, 2, tzinfo=UTC)
    with runtime.db.reader() as session:
        assert load_calendar(session, WORKDAYS).add_workdays(start, 1).estimated

    first = "2027-10-01,holiday,国庆节\n2027-10-04,holiday,国庆节\n2027-10-09,workday,调休"
    assert runtime.dispatch([loaded(first)]).handled_count == 1
    with runtime.db.reader() as session:
        calendar = load_calendar(session, WORKDAYS)
    deadline = calendar.add_workdays(start, 1)
    assert deadline.due == datetime(2027, 10, 5, 2, tzinfo=UTC) and not deadline.estimated
    assert calendar.is_workday(date(2027, 10, 9))

    runtime.dispatch([loaded("2027-10-01,holiday,国庆节")])
    with runtime.db.reader() as session:
        calendar = load_calendar(session, WORKDAYS)
    assert calendar.add_workdays(start, 1).due == datetime(2027, 10, 4, 2, tzinfo=UTC)
    assert not calendar.is_workday(date(2027, 10, 9)), "the replacement drops the old 调休"
