"""Loading a year's working days recounts contact's deadlines that were estimated for it:
the already-paid re-check (two working days after the call) and the copy of each visit
order's due date; tested across the 2027 New Year with a schedule that moves a working
day (2027 is a year the shipped calendar does not know)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from shared.events import new_event
from shared.events.catalog import CalendarDay, FieldVisitOrdered, WorkdayCalendarLoaded
from tests.conftest import FIXED_NOW

from .conftest import Desk
from .test_attempts_api import call

NEW_YEAR_EVE = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)  # Thursday 10:00 Shanghai
SCHEDULE_2027 = (
    CalendarDay(day=date(2027, 1, 1), kind="holiday", name="元旦"),
    CalendarDay(day=date(2027, 1, 4), kind="holiday", name="元旦"),
    CalendarDay(day=date(2027, 1, 9), kind="workday", name="元旦调休"),
)


def loaded(desk: Desk, year: int, days: tuple[CalendarDay, ...]) -> Any:
    return new_event(
        WorkdayCalendarLoaded(year=year, days=days, loaded_by="admin-1", loaded_at=desk.clock.now),
        occurred_at=desk.clock.now,
        case_id=None,
    )


def recheck(desk: Desk) -> dict[str, Any]:
    (found,) = [f for f in desk.get("/follow-ups").json() if f["kind"] == "payment_recheck"]
    return found


def test_loading_2027_recounts_and_unflags_the_estimated_already_paid_recheck(
    desk: Desk,
) -> None:
    desk.clock.now = NEW_YEAR_EVE
    body = call(desk, outcome="already_paid", late_reason="case file arrived late",
                already_paid={"paid_on": "2026-12-30", "amount": "300.00", "bank": "ICBC",
                              "payee": "BANK-A"})  # fmt: skip
    assert desk.post("/attempts", body).status_code == 201
    estimated = recheck(desk)
    assert estimated["due_at"] == "2027-01-05T02:00:00Z", "estimate: Mon 4th and Tue 5th"
    assert estimated["due_estimated"] is True

    desk.clock.advance(hours=2)
    desk.dispatch(loaded(desk, 2027, SCHEDULE_2027))
    recounted = recheck(desk)
    assert recounted["due_at"] == "2027-01-06T02:00:00Z", "the 4th is off: Tue 5th, Wed 6th"
    assert recounted["due_estimated"] is False


def test_a_recheck_counted_on_known_years_is_left_alone(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW + timedelta(days=1)
    body = call(desk, outcome="already_paid", late_reason="late",
                already_paid={"paid_on": "2026-11-23", "amount": "300.00", "bank": "ICBC",
                              "payee": "BANK-A"})  # fmt: skip
    assert desk.post("/attempts", body).status_code == 201
    before = recheck(desk)
    assert before["due_estimated"] is False
    desk.dispatch(loaded(desk, 2027, SCHEDULE_2027))
    assert recheck(desk) == before


def test_the_visit_order_copy_takes_the_recounted_due_date_and_drops_the_flag(
    desk: Desk,
) -> None:
    def ordered(due_by: datetime, estimated: bool) -> Any:
        return new_event(
            FieldVisitOrdered(
                visit_id="visit-1",
                field_collector_id="field-1",
                ordered_by="collector-a",
                due_by=due_by,
                due_estimated=estimated,
            ),
            occurred_at=NEW_YEAR_EVE,
            case_id=desk.case_id,
        )

    desk.dispatch(ordered(datetime(2027, 1, 5, 2, tzinfo=UTC), True))
    (visit,) = desk.get("/field-visits").json()
    assert visit["due_estimated"] is True
    desk.dispatch(ordered(datetime(2027, 1, 6, 2, tzinfo=UTC), False))
    (visit,) = desk.get("/field-visits").json()
    assert visit["due_by"] == "2027-01-06T02:00:00Z" and visit["due_estimated"] is False
