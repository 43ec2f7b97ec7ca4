"""The 2-hour first-contact clock from CaseAssigned, and the 'already paid' re-check (in
working days, by contact's copy of the calendar)."""

from __future__ import annotations

from datetime import date, timedelta

from services.contact.models import ContactCase
from shared.events import new_event
from shared.events.catalog import CalendarDay, WorkdayCalendarLoaded
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_reassigned, payment_received

from .conftest import ADMIN, COLLECTOR_A, COLLECTOR_B, HQ, LEAD_T1, Desk
from .test_attempts_api import call


def summary(desk: Desk, who=LEAD_T1) -> dict:
    response = desk.client.get("/first-contact/summary", headers=desk.as_(who))
    assert response.status_code == 200, response.text
    return response.json()


def test_the_clock_starts_at_assignment_and_a_reassignment_does_not_restart_it(
    desk: Desk,
) -> None:
    desk.dispatch(
        case_reassigned(FIXED_NOW + timedelta(hours=1), desk.case_id, "collector-a", "collector-b"),
        case_assigned(FIXED_NOW + timedelta(hours=1), desk.case_id, "collector-a"),
    )
    with desk.runtime.db.reader() as session:
        case = session.get(ContactCase, desk.case_id)
    assert case is not None
    assert case.first_contact_due_at.replace(tzinfo=FIXED_NOW.tzinfo) == FIXED_NOW + timedelta(
        hours=2
    )


def test_a_first_attempt_at_exactly_two_hours_is_on_time(desk: Desk) -> None:
    desk.clock.advance(hours=2)
    attempt = desk.post("/attempts", call(desk)).json()
    assert attempt["first_attempt"] and not attempt["first_contact_late"]
    second = desk.post("/attempts", call(desk)).json()
    assert not second["first_attempt"]


def test_a_late_first_attempt_needs_its_reason_and_is_counted(desk: Desk) -> None:
    desk.clock.advance(hours=2, seconds=1)
    assert summary(desk)["overdue_without_attempt"] == 1
    assert summary(desk)["overdue_case_ids"] == [desk.case_id]
    refused = desk.post("/attempts", call(desk))
    assert refused.status_code == 422 and "late_reason" in refused.json()["detail"]
    logged = desk.post("/attempts", call(desk, late_reason="system outage 09:00-12:00"))
    assert logged.status_code == 201
    assert logged.json()["first_contact_late"] and logged.json()["late_reason"]
    (event,) = desk.events("ContactAttempted")
    assert event.first_contact_late is True
    counted = summary(desk)
    assert (counted["first_attempts"], counted["late_first_attempts"]) == (1, 1)
    assert counted["overdue_without_attempt"] == 0
    assert summary(desk, ADMIN)["late_first_attempts"] == 1


def test_the_summary_counts_only_the_team_one_oversees(desk: Desk) -> None:
    desk.clock.advance(hours=3)
    other_lead = LEAD_T1.__class__(**{**LEAD_T1.__dict__, "team_id": "T9"})
    assert summary(desk, other_lead)["overdue_without_attempt"] == 0
    assert summary(desk, HQ)["overdue_without_attempt"] == 1
    forbidden = desk.client.get("/first-contact/summary", headers=desk.as_(COLLECTOR_A))
    assert forbidden.status_code == 403


def already_paid(desk: Desk, amount: str = "300.00") -> dict:
    body = call(
        desk,
        outcome="already_paid",
        already_paid={
            "paid_on": "2026-11-22",
            "amount": amount,
            "bank": "ICBC",
            "payee": "BANK-A",
            "slip_ref": "slip-77",
        },
    )
    logged = desk.post("/attempts", body)
    assert logged.status_code == 201, logged.text
    (recheck,) = [f for f in desk.get("/follow-ups").json() if f["kind"] == "payment_recheck"]
    return recheck


def test_already_paid_schedules_a_recheck_two_days_later_closed_by_a_matching_payment(
    desk: Desk,
) -> None:
    recheck = already_paid(desk)
    assert recheck["due_at"] == "2026-11-25T02:00:00Z" and recheck["status"] == "open"
    desk.dispatch(payment_received(desk.case_id, "299.00", FIXED_NOW + timedelta(days=1)))
    assert desk.get("/follow-ups").json()[0]["status"] == "open", "another amount"
    desk.dispatch(payment_received(desk.case_id, "300.00", FIXED_NOW - timedelta(days=1)))
    (closed,) = desk.get("/follow-ups").json()
    assert closed["status"] == "done"


def test_already_paid_for_a_payment_that_came_earlier_closes_at_once(desk: Desk) -> None:
    desk.dispatch(payment_received(desk.case_id, "300.00", FIXED_NOW - timedelta(days=1)))
    assert already_paid(desk)["status"] == "done"


def test_an_outsider_cannot_read_the_follow_ups(desk: Desk) -> None:
    already_paid(desk)
    assert desk.get("/follow-ups", who=COLLECTOR_B).status_code == 404


def test_the_already_paid_recheck_counts_working_days_of_contacts_calendar_copy(
    desk: Desk,
) -> None:
    """Claimed on a Friday: due Tuesday; with Monday a loaded holiday, Wednesday."""
    desk.clock.advance(days=4)  # Friday 2026-11-27, 10:00 in Shanghai
    body = call(
        desk,
        outcome="already_paid",
        late_reason="case file arrived without a number",
        already_paid={"paid_on": "2026-11-26", "amount": "300.00", "bank": "ICBC", "payee": "X"},
    )
    assert desk.post("/attempts", body).status_code == 201
    desk.dispatch(
        new_event(
            WorkdayCalendarLoaded(
                year=2026,
                days=(CalendarDay(day=date(2026, 11, 30), kind="holiday", name="test holiday"),),
                loaded_by="admin-1",
                loaded_at=desk.clock.now,
            ),
            occurred_at=desk.clock.now,
            case_id=None,
        )
    )
    desk.clock.advance(hours=1)
    body = {**body, "started_at": desk.clock.now.isoformat()}
    assert desk.post("/attempts", body).status_code == 201
    rechecks = [
        f["due_at"] for f in desk.get("/follow-ups").json() if f["kind"] == "payment_recheck"
    ]
    assert rechecks == ["2026-12-01T02:00:00Z", "2026-12-02T03:00:00Z"]
