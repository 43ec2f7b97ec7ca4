"""A visit plan is checked against quiet hours at the debtor when filed (a supervisor's
recorded reason lets one through), and loading a year's working days recounts the
estimated deadlines: the 1-business-day assignment clock and open visit orders' due
dates, tested across the 2027 New Year with a schedule that moves a working day."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.assignment.models import AssignedCase
from shared.clock import as_utc
from tests.assignment.conftest import outbox
from tests.events_kit import case_imported

from .test_field_visits import order, setup
from .test_handover import setup as handover_setup

NEW_YEAR_EVE = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)  # Thursday 10:00 Shanghai
SCHEDULE_2027 = {
    "days": [
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-01-04", "kind": "holiday", "name": "元旦"},
        {"day": "2027-01-09", "kind": "workday", "name": "元旦调休"},
    ]
}
PLAN = {"place": "浦东新区", "people": "外访员两人"}


def assignment_clock(client: Any, case_id: str) -> tuple[datetime, bool]:
    with client.app.state.runtime.db.reader() as session:
        case = session.get(AssignedCase, case_id)
    return as_utc(case.assign_due_by), case.due_estimated


def plan_at(client: Any, s: dict[str, Any], visit_id: str, at: str) -> Any:
    return client.put(f"/field-visits/{visit_id}/plan", json={**PLAN, "planned_for": at},
                      headers=s["f"])  # fmt: skip


def test_a_visit_plan_in_quiet_hours_is_refused_unless_a_supervisor_records_a_reason(
    assignment, as_role
) -> None:
    s = setup(assignment, as_role)
    first, _ = order(assignment, s)
    night = "2026-11-24T15:07:00Z"  # 23:07 in Shanghai
    refused = plan_at(assignment, s, first["id"], night)
    assert refused.status_code == 422
    assert "23:07 at the debtor (Asia/Shanghai) is inside quiet hours" in refused.json()["detail"]
    assert refused.json()["errors"][0]["location"] == "body.planned_for"

    reason = {"planned_for": night, "reason": "the debtor runs a night stall; only then found"}
    path = f"/field-visits/{first['id']}/quiet-hours"
    assert assignment.post(path, json=reason, headers=s["f"]).status_code == 403
    allowed = assignment.post(path, json=reason, headers=s["boss"])
    assert allowed.status_code == 200, allowed.text
    assert allowed.json()["quiet_hours_reason"] == reason["reason"]

    filed = plan_at(assignment, s, first["id"], night)
    assert filed.status_code == 200, filed.text
    assert filed.json()["quiet_hours_allowed_by"] == s["boss_id"]
    other_night = plan_at(assignment, s, first["id"], "2026-11-24T14:00:00Z")
    assert other_night.status_code == 422, "the reason covers the time it was given for"
    daytime = {"planned_for": "2026-11-24T06:00:00Z", "reason": "x"}
    assert assignment.post(path, json=daytime, headers=s["boss"]).status_code == 422


def test_quiet_hours_for_a_visit_plan_are_the_debtors_own_clock(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    imported = case_imported(NEW_YEAR_EVE, client_id="BANK-A",
                             home_address="12 W 4th St, New York, NY")  # fmt: skip
    assignment.app.state.runtime.dispatch([imported])
    body = {"field_collector_id": s["f_id"], "visits": [{"case_id": imported.case_id}]}
    (visit,) = assignment.post("/field-visits", json=body, headers=s["a"]).json()
    afternoon_in_shanghai = "2026-11-24T06:00:00Z"  # 01:00 in New York
    refused = plan_at(assignment, s, visit["id"], afternoon_in_shanghai)
    assert refused.status_code == 422 and "America/New_York" in refused.json()["detail"]
    assert plan_at(assignment, s, visit["id"], "2026-11-24T15:00:00Z").status_code == 200


def test_loading_2027_recounts_estimated_assignment_and_visit_deadlines(
    assignment, as_role, clock
) -> None:
    s = setup(assignment, as_role)
    clock.at = NEW_YEAR_EVE
    first, second = order(assignment, s)
    assert first["due_by"] == "2027-01-05T02:00:00Z" and first["due_estimated"] is True
    entered = case_imported(NEW_YEAR_EVE, client_id="BANK-A", received_at=NEW_YEAR_EVE)
    assignment.app.state.runtime.dispatch([entered])
    assert assignment_clock(assignment, entered.case_id) == (
        datetime(2027, 1, 4, 2, tzinfo=UTC),
        True,
    ), "estimate: Monday the 4th"

    loaded = assignment.post("/calendar/years/2027", json=SCHEDULE_2027, headers=s["admin"])
    assert loaded.status_code == 201, loaded.text
    assert loaded.json()["deadlines_recounted"] == 3

    for visit in (first, second):
        now = assignment.get(f"/field-visits/{visit['id']}", headers=s["boss"]).json()
        assert now["due_by"] == "2027-01-06T02:00:00Z", "the 4th is off: Tue 5th, Wed 6th"
        assert now["due_estimated"] is False
    again = [e for e in outbox(assignment, "FieldVisitOrdered") if not e.payload.due_estimated]
    assert {e.payload.visit_id for e in again} == {first["id"], second["id"]}
    assert {e.payload.due_by for e in again} == {datetime(2027, 1, 6, 2, tzinfo=UTC)}
    assert assignment_clock(assignment, entered.case_id) == (
        datetime(2027, 1, 5, 2, tzinfo=UTC),
        False,
    )


def test_a_visit_due_date_set_by_an_approved_delay_is_not_recounted(
    assignment, as_role, clock
) -> None:
    s = setup(assignment, as_role)
    clock.at = NEW_YEAR_EVE
    first, _ = order(assignment, s)
    delay = {"until": "2027-01-08", "reason": "debtor away"}
    asked = assignment.post(f"/field-visits/{first['id']}/delay", json=delay, headers=s["f"])
    assert asked.status_code == 201, asked.text
    granted = assignment.post(f"/approvals/{asked.json()['id']}/grant", json={}, headers=s["boss"])
    assert granted.status_code in (200, 201), granted.text
    delayed = assignment.get(f"/field-visits/{first['id']}", headers=s["boss"]).json()
    assert delayed["due_by"] == "2027-01-08T02:00:00Z" and delayed["due_estimated"] is False
    assignment.post("/calendar/years/2027", json=SCHEDULE_2027, headers=s["admin"])
    after = assignment.get(f"/field-visits/{first['id']}", headers=s["boss"]).json()
    assert after["due_by"] == "2027-01-08T02:00:00Z"


def test_a_case_back_in_the_queue_is_recounted_from_its_return_not_its_entry(
    assignment, as_role, clock
) -> None:
    s = handover_setup(assignment, as_role)
    clock.at = NEW_YEAR_EVE
    body = {"from_collector_id": s["a"]["id"], "reason": "left", "successor_ids": [s["b"]["id"]]}
    assert assignment.post("/handovers", json=body, headers=s["lead"]).status_code == 201
    waiting = assignment.get("/assignments/queue", headers=s["lead"]).json()["items"]
    assert {(i["assign_due_by"], i["due_estimated"]) for i in waiting} == {
        ("2027-01-04T02:00:00Z", True)
    }
    loaded = assignment.post("/calendar/years/2027", json=SCHEDULE_2027, headers=s["admin"])
    assert loaded.status_code == 201, loaded.text
    waiting = assignment.get("/assignments/queue", headers=s["lead"]).json()["items"]
    assert len(waiting) == 2
    assert {(i["assign_due_by"], i["due_estimated"]) for i in waiting} == {
        ("2027-01-05T02:00:00Z", False)
    }, "one business day from the return to the queue on 31 December, on the loaded year"
