"""Approvals over HTTP: requests with their reason, a supervisor's decision, and only a
granted request taking effect."""

from __future__ import annotations

from typing import Any

from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member, add_team, import_cases, route_client


def setup(client: Any, as_role: Any) -> dict[str, Any]:
    admin = as_role(Role.ADMIN)
    boss = add_member(client, admin, "boss1", Role.SUPERVISOR, team_id="T1")
    other = add_member(client, admin, "boss2", Role.SUPERVISOR, team_id="T2")
    add_team(client, admin, "T1", supervisor_id=boss["id"])
    add_team(client, admin, "T2", supervisor_id=other["id"])
    route_client(client, admin, "BANK-A", "T1")
    a = add_member(client, admin, "phone-a", Role.PHONE_COLLECTOR, team_id="T1")
    z = add_member(client, admin, "phone-z", Role.PHONE_COLLECTOR, team_id="T2")
    [case_id] = import_cases(client, {"client_id": "BANK-A"})
    return {
        "admin": admin,
        "boss": as_role(Role.SUPERVISOR, boss["id"], "T1"),
        "boss_id": boss["id"],
        "other_boss": as_role(Role.SUPERVISOR, other["id"], "T2"),
        "a": as_role(Role.PHONE_COLLECTOR, a["id"], "T1"),
        "a_id": a["id"],
        "z": as_role(Role.PHONE_COLLECTOR, z["id"], "T2"),
        "case": case_id,
    }


def test_a_month_end_extension_takes_effect_only_once_granted(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    url = f"/cases/{s['case']}/approvals"
    ask = {"kind": "extension", "reason": "债务人承诺下月初还款", "until": "2026-12-31"}
    assert assignment.post(url, json=ask, headers=s["a"]).status_code == 422, "no plan"
    ask["next_steps"] = "12月5日前回访，必要时外访"
    made = assignment.post(url, json=ask, headers=s["a"])
    assert made.status_code == 201, made.text
    request = made.json()
    assert (request["status"], request["requested_by"]) == ("pending", s["a_id"])
    assert assignment.post(url, json=ask, headers=s["a"]).status_code == 409, "one at a time"
    assert assignment.post(url, json=ask, headers=s["z"]).status_code == 404
    [asked] = outbox(assignment, "ApprovalRequested")
    assert (asked.case_id, asked.payload.kind, asked.payload.next_steps) == (
        s["case"],
        "extension",
        ask["next_steps"],
    )
    strategy = f"/cases/{s['case']}/strategy"
    assert assignment.get(strategy, headers=s["a"]).json()["extended_until"] is None

    assert [r["id"] for r in assignment.get("/approvals", headers=s["boss"]).json()] == [
        request["id"]
    ]
    assert assignment.get("/approvals", headers=s["other_boss"]).json() == []
    grant = f"/approvals/{request['id']}/grant"
    assert assignment.post(grant, json={}, headers=s["other_boss"]).status_code == 404
    assert assignment.post(grant, json={}, headers=s["a"]).status_code == 403
    decided = assignment.post(grant, json={"note": "同意"}, headers=s["boss"])
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["decided_by"]) == ("granted", s["boss_id"])
    assert assignment.get(strategy, headers=s["a"]).json()["extended_until"] == "2026-12-31"
    assert assignment.post(grant, json={}, headers=s["boss"]).status_code == 409
    [granted] = outbox(assignment, "ApprovalGranted")
    assert (granted.payload.approval_id, granted.payload.approved_by) == (
        request["id"],
        s["boss_id"],
    )
    assert (
        assignment.get("/approvals?status=granted", headers=s["boss"]).json()[0]["id"]
        == request["id"]
    )


def test_a_rejected_special_procedure_changes_nothing_and_a_granted_one_does(
    assignment, as_role
) -> None:
    s = setup(assignment, as_role)
    url = f"/cases/{s['case']}/approvals"
    legal = assignment.post(
        url, json={"kind": "legal_action", "reason": "恶意拖欠"}, headers=s["a"]
    ).json()
    reject = f"/approvals/{legal['id']}/reject"
    assert assignment.post(reject, json={}, headers=s["boss"]).status_code == 422, "say why"
    rejected = assignment.post(reject, json={"reason": "先担保人"}, headers=s["boss"])
    assert (
        rejected.json()["status"] == "rejected" and rejected.json()["decision_note"] == "先担保人"
    )
    [no] = outbox(assignment, "ApprovalRejected")
    assert (no.payload.reason, no.payload.rejected_by) == ("先担保人", s["boss_id"])
    strategy = f"/cases/{s['case']}/strategy"
    assert assignment.get(strategy, headers=s["a"]).json()["treatment"] is None

    secured = {"kind": "secured_arrangement", "reason": "有房产可抵押"}
    made = assignment.post(url, json=secured, headers=s["a"]).json()
    assignment.post(f"/approvals/{made['id']}/grant", json={}, headers=s["boss"])
    assert assignment.get(strategy, headers=s["a"]).json()["treatment"] == "secured_arrangement"
    kinds = {(r["kind"], r["status"]) for r in assignment.get(url, headers=s["boss"]).json()}
    assert kinds == {("legal_action", "rejected"), ("secured_arrangement", "granted")}


def test_nobody_decides_their_own_request(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    url = f"/cases/{s['case']}/approvals"
    waiver = {"kind": "waiver", "reason": "提前还款活动，减免罚息", "amount": "320.00"}
    mine = assignment.post(url, json=waiver, headers=s["boss"]).json()
    assert mine["amount"] == "320.00"
    own = assignment.post(f"/approvals/{mine['id']}/grant", json={}, headers=s["boss"])
    assert own.status_code == 409 and "requester" in own.json()["detail"]
    by_admin = assignment.post(f"/approvals/{mine['id']}/grant", json={}, headers=s["admin"])
    assert by_admin.json()["status"] == "granted"
    delay = {"kind": "visit_delay", "reason": "x", "until": "2026-12-01"}
    assert assignment.post(url, json=delay, headers=s["a"]).status_code == 422


def test_a_granted_write_off_closes_the_case_and_takes_it_off_the_collectors_work(
    assignment, as_role
) -> None:
    s = setup(assignment, as_role)
    in_queue = assignment.get("/work-queue", headers=s["a"]).json()["items"]
    assert [i["case_id"] for i in in_queue] == [s["case"]]
    ask = {"kind": "write_off", "reason": "债务人已死亡，无遗产"}
    made = assignment.post(f"/cases/{s['case']}/approvals", json=ask, headers=s["a"])
    assert made.status_code == 201, made.text
    assert outbox(assignment, "CaseClosed") == [], "nothing closes before the decision"

    grant = f"/approvals/{made.json()['id']}/grant"
    assert assignment.post(grant, json={}, headers=s["boss"]).status_code == 200

    [closed] = outbox(assignment, "CaseClosed")
    assert (closed.case_id, closed.payload.outcome) == (s["case"], "written_off")
    assert "债务人已死亡" in (closed.payload.reason or "")
    assert assignment.get("/work-queue", headers=s["a"]).json()["items"] == []
    field = add_member(assignment, s["admin"], "field-f", Role.FIELD_COLLECTOR, team_id="T1")
    visit = {"field_collector_id": field["id"], "visits": [{"case_id": s["case"], "purpose": "x"}]}
    assert assignment.post("/field-visits", json=visit, headers=s["a"]).status_code == 409
