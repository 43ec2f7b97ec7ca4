"""Loading a year's working-day schedule recounts the delivery deadlines that were
estimated on that year: across the 2027 New Year (a year the calendar package does not
know yet), with a schedule that gives Monday 4 January off and makes Saturday 9 January
a working day."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.events import new_event
from shared.workdays.schedule import build_schedule
from shared.workdays.tables import announcement
from tests.conftest import FIXED_NOW

from .conftest import Desk

SCHEDULE_2027 = (
    (date(2027, 1, 1), "holiday", "元旦"),
    (date(2027, 1, 4), "holiday", "元旦调休"),
    (date(2027, 1, 9), "workday", "元旦调休上班"),
)


def calendar_loaded(year: int, days: tuple[tuple[date, str, str], ...]) -> Any:
    at = FIXED_NOW.replace(month=12, day=31)
    payload = announcement(build_schedule(year, days), "admin-1", at)
    return new_event(payload, occurred_at=at, case_id=None)


def _signed(desk: Desk, kind: str, on: str, **fields: Any) -> dict[str, Any]:
    letter = desk.issue(kind, fields=fields)
    base = f"/letters/{letter['id']}"
    sent = desk.post(f"{base}/dispatch", {"channel": "ems", "carrier": "EMS", "mailed_on": on})
    assert sent.status_code == 201, sent.text
    done = desk.post(f"{base}/delivery", {"outcome": "signed", "outcome_on": on})
    assert done.status_code == 201, done.text
    return done.json()


def _delivery(desk: Desk, letter: dict[str, Any]) -> dict[str, Any]:
    return desk.get(f"/letters/{letter['id']}").json()["delivery"]


def test_loading_a_year_recounts_the_deadlines_estimated_on_it_and_unflags_them(
    desk: Desk,
) -> None:
    desk.clock.now = FIXED_NOW.replace(month=12, day=30)  # 2026-12-30 10:00 Shanghai
    final = _signed(desk, "final_notice", "2026-12-30")  # 10 calendar days → Sat 9 Jan
    demand = _signed(
        desk,
        "demand_letter",
        "2026-12-30",  # 3 working days: 31 Dec, then 2027
        contract_no="HT-1",
        contract_date="2026-01-01",
        goods="办公耗材",
        supply_from="2026-02-01",
        supply_to="2026-03-01",
        invoiced_total="1000",
    )
    assert (final["delivery"]["deadline_on"], final["delivery"]["deadline_estimated"]) == (
        "2027-01-11",  # estimated: Saturday 9 January is a day off, so Monday
        True,
    )
    assert (demand["delivery"]["deadline_on"], demand["delivery"]["deadline_estimated"]) == (
        "2027-01-05",  # estimated: 31 Dec, 4 Jan, 5 Jan
        True,
    )

    desk.dispatch(calendar_loaded(2027, SCHEDULE_2027))

    assert (
        _delivery(desk, final)["deadline_on"],
        _delivery(desk, final)["deadline_estimated"],
    ) == (
        "2027-01-09",
        False,
    )
    assert (
        _delivery(desk, demand)["deadline_on"],
        _delivery(desk, demand)["deadline_estimated"],
    ) == ("2027-01-06", False)  # 31 Dec, 5 Jan, 6 Jan: 4 January is off
    listed = {x["id"]: x["delivery"] for x in desk.get("/letters").json()["items"]}
    assert listed[final["id"]]["deadline_on"] == "2027-01-09"


def test_the_same_notice_shows_the_same_deadline_whenever_it_was_recorded(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW.replace(month=12, day=30)
    before = _signed(desk, "final_notice", "2026-12-30")
    desk.dispatch(calendar_loaded(2027, SCHEDULE_2027))
    after = _signed(desk, "final_notice", "2026-12-30")
    assert _delivery(desk, before) == {
        **_delivery(desk, after),
        "recorded_at": _delivery(desk, before)["recorded_at"],
    }


def test_loading_another_year_leaves_deadlines_estimated_on_2027_alone(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW.replace(month=12, day=30)
    final = _signed(desk, "final_notice", "2026-12-30")
    desk.dispatch(calendar_loaded(2028, ((date(2028, 1, 1), "holiday", "元旦"),)))
    assert _delivery(desk, final)["deadline_on"] == "2027-01-11"
    assert _delivery(desk, final)["deadline_estimated"] is True
