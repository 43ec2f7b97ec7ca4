"""Field visits over HTTP: the daily list becomes orders due in 2 business days; the
field collector files a plan, a later one only with an approved delay; the contact
service's report, the phone collector's result and the supervisor's sign-off; overdue
orders are flagged and listed for the admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member, add_team, import_cases, route_client, visit_reported
from tests.conftest import FIXED_NOW


def setup(client: Any, as_role: Any) -> dict[str, Any]:
    admin = as_role(Role.ADMIN)
    boss = add_member(client, admin, "boss1", Role.SUPERVISOR, team_id="T1")
    other_boss = add_member(client, admin, "boss2", Role.SUPERVISOR, team_id="T2")
    add_team(client, admin, "T1", supervisor_id=boss["id"])
    add_team(client, admin, "T2", supervisor_id=other_boss["id"])
    route_client(client, admin, "BANK-A", "T1")
    route_client(client, admin, "BANK-B", "T2")
    a = add_member(client, admin, "phone-a", Role.PHONE_COLLECTOR, team_id="T1")
    z = add_member(client, admin, "phone-z", Role.PHONE_COLLECTOR, team_id="T2")
    f = add_member(client, admin, "field-f", Role.FIELD_COLLECTOR, team_id="T1")
    g = add_member(client, admin, "field-g", Role.FIELD_COLLECTOR, team_id="T1")
    mine = import_cases(client, {"client_id": "BANK-A"}, {"client_id": "BANK-A"})
    theirs = import_cases(client, {"client_id": "BANK-B"})
    return {
        "admin": admin,
        "boss": as_role(Role.SUPERVISOR, boss["id"], "T1"),
        "other_boss": as_role(Role.SUPERVISOR, other_boss["id"], "T2"),
        "a": as_role(Role.PHONE_COLLECTOR, a["id"], "T1"),
        "a_id": a["id"],
        "z": as_role(Role.PHONE_COLLECTOR, z["id"], "T2"),
        "f": as_role(Role.FIELD_COLLECTOR, f["id"], "T1"),
        "f_id": f["id"],
        "g": as_role(Role.FIELD_COLLECTOR, g["id"], "T1"),
        "mine": mine,
        "theirs": theirs,
        "boss_id": boss["id"],
    }


def order(client: Any, s: dict[str, Any]) -> list[dict]:
    body = {
        "field_collector_id": s["f_id"],
        "visits": [{"case_id": c, "purpose": "核实地址"} for c in s["mine"]],
    }
    answer = client.post("/field-visits", json=body, headers=s["a"])
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_visit_from_the_daily_list_to_sign_off(assignment, as_role, clock) -> None:
    s = setup(assignment, as_role)
    first, second = order(assignment, s)
    assert first["due_by"] == "2026-11-25T02:00:00Z", "Monday 10:00 + 2 business days"
    assert first["supervisor_id"] == s["boss_id"] and first["status"] == "ordered"
    ordered = outbox(assignment, "FieldVisitOrdered")
    assert [e.case_id for e in ordered] == s["mine"]
    assert {e.payload.phone_collector_id for e in ordered} == {s["a_id"]}

    plan = {"planned_for": "2026-11-24T06:00:00Z", "place": "浦东新区", "people": "外访员两人"}
    assert (
        assignment.put(f"/field-visits/{first['id']}/plan", json=plan, headers=s["g"]).status_code
        == 404
    )
    filed = assignment.put(
        f"/field-visits/{first['id']}/plan", json={**plan, "vehicle": "沪A"}, headers=s["f"]
    )
    assert filed.status_code == 200, filed.text
    assert (filed.json()["status"], filed.json()["vehicle"]) == ("planned", "沪A")

    runtime = assignment.app.state.runtime
    too_early = assignment.post(
        f"/field-visits/{first['id']}/result", json={"result": "x"}, headers=s["a"]
    )
    assert too_early.status_code == 409, "no report yet"
    runtime.dispatch([visit_reported(s["mine"][0], first["id"], s["f_id"])])
    assert (
        assignment.get(f"/field-visits/{first['id']}", headers=s["f"]).json()["status"]
        == "reported"
    )

    result = {"result": "承诺月底还款", "improper_conduct": "外访员迟到"}
    assert (
        assignment.post(
            f"/field-visits/{first['id']}/result", json=result, headers=s["z"]
        ).status_code
        == 404
    )
    entered = assignment.post(f"/field-visits/{first['id']}/result", json=result, headers=s["a"])
    assert entered.status_code == 200, entered.text
    [completed] = outbox(assignment, "FieldVisitCompleted")
    assert (completed.payload.improper_conduct, completed.case_id) == ("外访员迟到", s["mine"][0])

    assert (
        assignment.post(
            f"/field-visits/{first['id']}/sign-off", headers=s["other_boss"]
        ).status_code
        == 404
    )
    signed = assignment.post(f"/field-visits/{first['id']}/sign-off", headers=s["boss"])
    assert signed.status_code == 200 and signed.json()["status"] == "signed_off"
    again = assignment.post(f"/field-visits/{first['id']}/sign-off", headers=s["boss"])
    assert again.status_code == 409
    [off] = outbox(assignment, "FieldVisitSignedOff")
    assert off.payload.signed_off_by == s["boss_id"]
    runtime.dispatch([visit_reported(s["mine"][0], first["id"], s["f_id"])])
    assert (
        assignment.get(f"/field-visits/{first['id']}", headers=s["boss"]).json()["status"]
        == "signed_off"
    )
    assert second["status"] == "ordered"


def test_a_later_visit_needs_an_approved_delay_and_overdue_ones_are_flagged(
    assignment, as_role, clock
) -> None:
    s = setup(assignment, as_role)
    first, second = order(assignment, s)
    late_plan = {"planned_for": "2026-11-26T06:00:00Z", "place": "浦东新区", "people": "两人"}
    refused = assignment.put(f"/field-visits/{first['id']}/plan", json=late_plan, headers=s["f"])
    assert refused.status_code == 422 and "/delay" in refused.json()["detail"]

    delay = {"until": "2026-11-27", "reason": "债务人出差"}
    asked = assignment.post(f"/field-visits/{first['id']}/delay", json=delay, headers=s["f"])
    assert asked.status_code == 201, asked.text
    approval = asked.json()
    assert (approval["kind"], approval["status"]) == ("visit_delay", "pending")
    still = assignment.put(f"/field-visits/{first['id']}/plan", json=late_plan, headers=s["f"])
    assert still.status_code == 422, "not until the supervisor approves"
    granted = assignment.post(f"/approvals/{approval['id']}/grant", json={}, headers=s["boss"])
    assert granted.status_code == 200, granted.text
    visit = assignment.get(f"/field-visits/{first['id']}", headers=s["f"]).json()
    assert visit["due_by"] == "2026-11-27T02:00:00Z"
    assert (
        assignment.put(
            f"/field-visits/{first['id']}/plan", json=late_plan, headers=s["f"]
        ).status_code
        == 200
    )

    clock.at = FIXED_NOW + timedelta(days=3)  # Thursday: the second is overdue, the first not
    flagged = assignment.get("/field-visits?overdue=true", headers=s["boss"]).json()
    assert [v["id"] for v in flagged] == [second["id"]] and flagged[0]["overdue"] is True
    runtime = assignment.app.state.runtime
    runtime.dispatch([visit_reported(s["mine"][0], first["id"], s["f_id"], at=clock.at)])
    alerts = assignment.get("/field-visits/alerts", headers=s["admin"]).json()
    assert {(a["kind"], a["visit"]["id"]) for a in alerts} == {
        ("done", first["id"]),
        ("overdue", second["id"]),
    }
    assert assignment.get("/field-visits/alerts", headers=s["other_boss"]).json() == []
    assert assignment.get("/field-visits/alerts", headers=s["a"]).status_code == 403


def test_only_your_own_cases_go_on_your_list(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    theirs = {"field_collector_id": s["f_id"], "visits": [{"case_id": s["theirs"][0]}]}
    assert assignment.post("/field-visits", json=theirs, headers=s["a"]).status_code == 404
    to_phone = {"field_collector_id": s["a_id"], "visits": [{"case_id": s["mine"][0]}]}
    assert assignment.post("/field-visits", json=to_phone, headers=s["a"]).status_code == 422
    order(assignment, s)
    assert assignment.get("/field-visits", headers=s["z"]).json() == []
    assert len(assignment.get("/field-visits", headers=s["f"]).json()) == 2
    assert assignment.get("/field-visits", headers=s["g"]).json() == []


def test_handovers_carry_open_visit_orders_and_results_to_successors(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    first, second = order(assignment, s)
    plan = {"planned_for": "2026-11-24T06:00:00Z", "place": "浦东新区", "people": "两人"}
    assignment.put(f"/field-visits/{first['id']}/plan", json=plan, headers=s["f"])
    leaving = {"from_collector_id": s["f_id"], "reason": "on_leave"}
    refused = assignment.post("/handovers", json=leaving, headers=s["boss"])
    assert refused.status_code == 422 and "2 open visit orders" in refused.json()["detail"]
    assert len(outbox(assignment, "FieldVisitOrdered")) == 2, "nothing moved"

    g = add_member(assignment, s["admin"], "field-g2", Role.FIELD_COLLECTOR, team_id="T1")
    moved = assignment.post(
        "/handovers", json={**leaving, "successor_ids": [g["id"]]}, headers=s["boss"]
    )
    assert moved.status_code == 201, moved.text
    assert moved.json()["visits_moved"] == 2
    taken = assignment.get(f"/field-visits/{first['id']}", headers=s["admin"]).json()
    assert (taken["field_collector_id"], taken["status"], taken["place"]) == (
        g["id"],
        "ordered",
        None,
    ), "the successor plans afresh"
    again = outbox(assignment, "FieldVisitOrdered")[2:]
    assert {(e.payload.visit_id, e.payload.field_collector_id) for e in again} == {
        (first["id"], g["id"]),
        (second["id"], g["id"]),
    }

    a2 = add_member(assignment, s["admin"], "phone-a2", Role.PHONE_COLLECTOR, team_id="T1")
    handed = {"from_collector_id": s["a_id"], "reason": "left", "successor_ids": [a2["id"]]}
    assert assignment.post("/handovers", json=handed, headers=s["boss"]).status_code == 201
    runtime = assignment.app.state.runtime
    runtime.dispatch([visit_reported(s["mine"][0], first["id"], g["id"])])
    result = {"result": "已见到债务人"}
    url = f"/field-visits/{first['id']}/result"
    assert assignment.post(url, json=result, headers=s["a"]).status_code == 404
    successor = as_role(Role.PHONE_COLLECTOR, a2["id"], "T1")
    assert assignment.post(url, json=result, headers=successor).status_code == 200
