"""A call is logged with the time it happened and the time it was logged: no stated time
before the case reached its collector or in the future; a call stated long before it is
logged needs a reason and reaches the supervisor; the rules, the first-contact clock and
the follow-ups count from what really happened."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.conftest import FIXED_NOW

from .conftest import COLLECTOR_A, LEAD_T1, SUPERVISOR_T1, Desk
from .test_attempts_api import call

ASSIGNED = FIXED_NOW  # 10:00 Shanghai, Monday 23 November 2026; imported at 09:00
EVENING = FIXED_NOW + timedelta(hours=13, minutes=4)  # 23:04 Shanghai


def stated(desk: Desk, at: datetime, **fields: Any) -> dict[str, Any]:
    return call(desk, started_at=at.isoformat(), **fields)


def test_a_call_stated_before_the_case_reached_its_collector_is_refused(desk: Desk) -> None:
    desk.clock.now = EVENING
    body = stated(desk, FIXED_NOW - timedelta(minutes=30), late_entry_reason="forgot")
    refused = desk.post("/attempts", body)
    assert refused.status_code == 422
    problem = refused.json()
    assert "before the case reached its collector" in problem["detail"]
    assert problem["errors"][0]["location"] == "body.started_at"
    assert desk.get("/attempts").json() == [] and desk.events("ContactAttempted") == []


def test_a_call_stated_in_the_future_is_refused_beyond_a_small_tolerance(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW + timedelta(hours=1)
    ahead = desk.post("/attempts", stated(desk, desk.clock.now + timedelta(minutes=6)))
    assert ahead.status_code == 422 and "in the future" in ahead.json()["detail"]
    near = desk.post("/attempts", stated(desk, desk.clock.now + timedelta(minutes=4)))
    assert near.status_code == 201, "a phone clock a few minutes fast"


def test_a_call_logged_long_after_its_stated_time_needs_a_reason_and_reaches_the_supervisor(
    desk: Desk,
) -> None:
    desk.clock.now = EVENING
    body = stated(desk, FIXED_NOW + timedelta(minutes=30))
    refused = desk.post("/attempts", body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == "body.late_entry_reason"

    body["late_entry_reason"] = "desk system was down in the morning"
    body["late_reason"] = "logged late"
    logged = desk.post("/attempts", body)
    assert logged.status_code == 201, logged.text
    attempt = logged.json()
    assert attempt["late_entry"] is True
    assert attempt["started_at"] == "2026-11-23T02:30:00Z"
    assert attempt["logged_at"] == "2026-11-23T15:04:00Z", "the logging time beside it"
    assert attempt["late_entry_reason"] == "desk system was down in the morning"

    for supervisor in (SUPERVISOR_T1, LEAD_T1):
        seen = desk.client.get("/late-entries", headers=desk.as_(supervisor))
        assert seen.status_code == 200
        assert [a["id"] for a in seen.json()] == [attempt["id"]]
    assert desk.client.get("/late-entries", headers=desk.as_(COLLECTOR_A)).status_code == 403


def test_a_late_entry_does_not_prove_an_on_time_first_contact(desk: Desk) -> None:
    desk.clock.now = EVENING
    body = stated(desk, FIXED_NOW + timedelta(minutes=30), late_entry_reason="system down")
    refused = desk.post("/attempts", body)
    assert refused.status_code == 422
    assert "late entry counts from when it was logged" in refused.json()["detail"]
    body["late_reason"] = "the system was down"
    attempt = desk.post("/attempts", body).json()
    assert attempt["first_attempt"] is True and attempt["first_contact_late"] is True
    (event,) = desk.events("ContactAttempted")
    assert event.first_contact_late is True


def test_a_call_logged_within_the_window_counts_at_its_stated_time(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW + timedelta(hours=2, minutes=20)  # 12:20, 20 min past due
    logged = desk.post("/attempts", stated(desk, FIXED_NOW + timedelta(hours=1, minutes=55)))
    assert logged.status_code == 201, logged.text
    attempt = logged.json()
    assert attempt["late_entry"] is False and attempt["first_contact_late"] is False


def test_the_window_for_late_entries_is_a_setting(make_desk) -> None:
    desk = make_desk(late_entry_minutes=10)
    desk.clock.now = FIXED_NOW + timedelta(minutes=45)
    refused = desk.post("/attempts", stated(desk, FIXED_NOW + timedelta(minutes=30)))
    assert refused.status_code == 422 and "10 minutes" in refused.json()["detail"]


def test_a_call_in_quiet_hours_stated_as_a_daytime_call_is_flagged(desk: Desk) -> None:
    desk.clock.now = EVENING
    daytime = stated(desk, FIXED_NOW + timedelta(hours=3), late_reason="late")
    assert desk.post("/attempts", daytime).status_code == 422, "needs a late-entry reason"
    in_quiet_hours = stated(desk, EVENING - timedelta(minutes=5), late_reason="late")
    refused = desk.post("/attempts", in_quiet_hours)
    assert refused.status_code == 409 and refused.json()["errors"][0]["rule"] == "quiet_hours"


def test_the_daily_cap_counts_calls_logged_after_a_back_dated_ones_stated_time(
    desk: Desk,
) -> None:
    for minutes in (0, 30, 60):
        desk.clock.now = FIXED_NOW + timedelta(hours=1, minutes=minutes)
        assert desk.post("/attempts", call(desk)).status_code == 201
    desk.clock.now = FIXED_NOW + timedelta(hours=2, minutes=10)
    back_dated = desk.post("/attempts", stated(desk, FIXED_NOW + timedelta(hours=1, minutes=50)))
    assert back_dated.status_code == 409
    assert back_dated.json()["errors"][0]["rule"] == "daily_cap"


def test_follow_ups_count_from_the_call_not_from_its_logging(desk: Desk) -> None:
    desk.clock.now = EVENING
    paid = {"paid_on": "2026-11-22", "amount": "500.00", "bank": "ICBC", "payee": "BANK-A"}
    body = stated(
        desk,
        FIXED_NOW + timedelta(minutes=30),
        outcome="already_paid",
        already_paid=paid,
        late_entry_reason="system down",
        late_reason="late",
    )
    assert desk.post("/attempts", body).status_code == 201
    (recheck,) = desk.get("/follow-ups").json()
    assert recheck["kind"] == "payment_recheck"
    assert recheck["due_at"] == "2026-11-25T02:30:00Z", "two working days after the call"
