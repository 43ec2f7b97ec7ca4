"""Handovers over HTTP: a leaving collector's open cases go to named successors, then back
through the rules, and what nobody can take waits in the queue with the reason — one
supervised record, every move announced."""

from __future__ import annotations

from typing import Any

from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member, add_team, import_cases, route_client


def setup(client: Any, as_role: Any) -> dict[str, Any]:
    admin = as_role(Role.ADMIN)
    lead = add_member(client, admin, "lead1", Role.TEAM_LEAD, team_id="T1")
    other_lead = add_member(client, admin, "lead2", Role.TEAM_LEAD, team_id="T2")
    add_team(client, admin, "T1", lead_id=lead["id"])
    add_team(client, admin, "T2", lead_id=other_lead["id"])
    route_client(client, admin, "BANK-A", "T1")
    leaver = add_member(client, admin, "col-a", Role.PHONE_COLLECTOR, team_id="T1")
    cases = import_cases(client, *({"client_id": "BANK-A"} for _ in range(5)))
    b = add_member(client, admin, "col-b", Role.PHONE_COLLECTOR, team_id="T1", capacity=2)
    c = add_member(client, admin, "col-c", Role.PHONE_COLLECTOR, team_id="T1", capacity=1)
    d = add_member(client, admin, "col-d", Role.PHONE_COLLECTOR, team_id="T2")
    return {
        "admin": admin,
        "lead": as_role(Role.TEAM_LEAD, lead["id"], "T1"),
        "lead_id": lead["id"],
        "other_lead": as_role(Role.TEAM_LEAD, other_lead["id"], "T2"),
        "a": leaver,
        "b": b,
        "c": c,
        "d": d,
        "cases": cases,
    }


def test_a_leavers_cases_go_to_successors_then_the_rules_then_the_queue(
    assignment, as_role
) -> None:
    s = setup(assignment, as_role)
    a, b, c = s["a"]["id"], s["b"]["id"], s["c"]["id"]
    body = {"from_collector_id": a, "reason": "left", "notes": "离职", "successor_ids": [b]}
    answer = assignment.post("/handovers", json=body, headers=s["lead"])
    assert answer.status_code == 201, answer.text
    record = answer.json()
    assert (record["moved"], record["queued"]) == (3, 2)
    assert record["supervised_by"] == s["lead_id"] and record["notes"] == "离职"
    went = [item["to_collector_id"] for item in record["cases"]]
    assert sorted(went, key=str) == sorted([b, b, c, None, None], key=str)
    assert {i["case_id"] for i in record["cases"]} == set(s["cases"])
    queued = [i["queued_reason"] for i in record["cases"] if i["to_collector_id"] is None]
    assert queued == ["team T1: every skilled collector is at capacity"] * 2

    moved = outbox(assignment, "CaseReassigned")
    assert len(moved) == 3
    assert {(e.payload.reason, e.payload.from_collector_id) for e in moved} == {("handover", a)}
    updates = [e.payload for e in outbox(assignment, "CollectorUpdated")]
    assert updates[-1].collector_id == a and updates[-1].status == "left"

    member = assignment.get(f"/staff/{a}", headers=s["lead"]).json()
    assert (member["status"], member["active"], member["open_cases"]) == ("left", False, 0)
    loads = {
        m: assignment.get(f"/staff/{m}", headers=s["lead"]).json()["open_cases"] for m in (b, c)
    }
    assert loads == {b: 2, c: 1}
    waiting = assignment.get("/assignments/queue", headers=s["lead"]).json()
    assert waiting["waiting"] == 2
    assert {i["reason"] for i in waiting["items"]} == {
        "handover from col-a: team T1: every skilled collector is at capacity"
    }

    taken = next(i["case_id"] for i in record["cases"] if i["to_collector_id"] == b)
    history = assignment.get(f"/cases/{taken}/assignments", headers=s["admin"]).json()
    assert (history[-1]["how"], history[-1]["from_collector_id"]) == ("handover", a)
    assert (
        assignment.get(f"/cases/{taken}", headers=as_role(Role.PHONE_COLLECTOR, b)).status_code
        == 200
    )
    assert (
        assignment.get(f"/cases/{taken}", headers=as_role(Role.PHONE_COLLECTOR, a)).status_code
        == 404
    )

    listed = assignment.get("/handovers", headers=s["lead"]).json()
    assert [h["id"] for h in listed] == [record["id"]]
    assert assignment.get(f"/handovers/{record['id']}", headers=s["other_lead"]).status_code == 404
    assert assignment.get("/handovers", headers=s["other_lead"]).json() == []


def test_going_on_leave_without_successors_goes_back_through_the_rules(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    body = {"from_collector_id": s["a"]["id"], "reason": "on_leave"}
    record = assignment.post("/handovers", json=body, headers=s["admin"]).json()
    assert (record["moved"], record["queued"]) == (3, 2), "b takes 2, c takes 1 by the rules"
    assert record["supervised_by"] == s["lead_id"], "the leaver's team lead"
    member = assignment.get(f"/staff/{s['a']['id']}", headers=s["admin"]).json()
    assert (member["status"], member["active"]) == ("on_leave", True)


def test_handovers_are_only_for_the_teams_you_supervise(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    a, d = s["a"]["id"], s["d"]["id"]
    body = {"from_collector_id": a, "reason": "left"}
    assert assignment.post("/handovers", json=body, headers=s["other_lead"]).status_code == 404
    collector = as_role(Role.PHONE_COLLECTOR, s["b"]["id"], "T1")
    assert assignment.post("/handovers", json=body, headers=collector).status_code == 403
    to_self = {**body, "successor_ids": [a]}
    assert assignment.post("/handovers", json=to_self, headers=s["lead"]).status_code == 422
    elsewhere = {**body, "successor_ids": [d]}
    refused = assignment.post("/handovers", json=elsewhere, headers=s["lead"])
    assert refused.status_code == 422 and "team you manage" in refused.json()["detail"]
    assert outbox(assignment, "CaseReassigned") == [], "nothing moved by a refused handover"
    assert assignment.get(f"/staff/{a}", headers=s["lead"]).json()["status"] == "active"
