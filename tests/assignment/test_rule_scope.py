"""Routing rules are a supervisor's to edit only for the teams they manage: another team's
rules can be neither changed, removed nor outranked, and a rule routes only to a managed
team. Admins and HQ edit every rule."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.assignment.kit import add_member, add_team


def _rules(assignment, headers) -> list[dict]:
    return assignment.get("/rules", headers=headers).json()


def _two_teams(assignment, as_role) -> tuple[dict, dict, dict]:
    admin = as_role(Role.ADMIN)
    one = add_member(assignment, admin, "sup.one", Role.SUPERVISOR, team_id="T1")
    two = add_member(assignment, admin, "sup.two", Role.SUPERVISOR, team_id="T2")
    add_team(assignment, admin, "T1", supervisor_id=one["id"])
    add_team(assignment, admin, "T2", supervisor_id=two["id"])
    bank_a = {"name": "BANK-A→T1", "team_id": "T1", "client_id": "BANK-A", "position": 10}
    made = assignment.post("/rules", json=bank_a, headers=admin)
    assert made.status_code == 201, made.text
    return admin, as_role(Role.SUPERVISOR, two["id"], "T2"), made.json()


def test_a_supervisor_cannot_reroute_another_teams_bank(assignment, as_role) -> None:
    admin, other_supervisor, rule = _two_teams(assignment, as_role)
    before = _rules(assignment, admin)
    rerouted = {**rule, "team_id": "T2"}
    for method, path, body in (
        ("PUT", f"/rules/{rule['id']}", rerouted),
        ("PUT", f"/rules/{rule['id']}", {**rule, "enabled": False}),
        ("DELETE", f"/rules/{rule['id']}", None),
        ("POST", "/rules", {**rerouted, "name": "steal", "position": 5}),
        ("POST", "/rules", {**rerouted, "name": "steal", "team_id": "T1"}),
    ):
        answer = assignment.request(method, path, json=body, headers=other_supervisor)
        assert answer.status_code == 403, f"{method} {path}: {answer.text}"
        assert "team" in answer.json()["detail"]
    assert _rules(assignment, admin) == before


def test_a_supervisor_edits_the_rules_of_their_own_team(assignment, as_role) -> None:
    admin, supervisor_two, _ = _two_teams(assignment, as_role)
    own = {"name": "BANK-B→T2", "team_id": "T2", "client_id": "BANK-B"}
    made = assignment.post("/rules", json=own, headers=supervisor_two)
    assert made.status_code == 201, made.text
    assert made.json()["position"] > 10  # after the other team's rule
    rule_id = made.json()["id"]
    changed = assignment.put(
        f"/rules/{rule_id}", json={**own, "region": "上海"}, headers=supervisor_two
    )
    assert changed.status_code == 200 and changed.json()["region"] == "上海"
    ahead = assignment.put(f"/rules/{rule_id}", json={**own, "position": 1}, headers=supervisor_two)
    assert ahead.status_code == 403
    assert assignment.delete(f"/rules/{rule_id}", headers=supervisor_two).status_code == 204
    assert [r["team_id"] for r in _rules(assignment, admin)] == ["T1"]


def test_admins_and_hq_edit_every_rule(assignment, as_role) -> None:
    admin, _, rule = _two_teams(assignment, as_role)
    hq = as_role(Role.HQ)
    moved = assignment.put(
        f"/rules/{rule['id']}", json={**rule, "team_id": "T2", "position": 1}, headers=hq
    )
    assert moved.status_code == 200 and moved.json()["team_id"] == "T2"
    assert assignment.delete(f"/rules/{rule['id']}", headers=admin).status_code == 204
    assert _rules(assignment, admin) == []
