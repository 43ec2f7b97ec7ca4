"""Outside agencies (委外): registered with a rate and a term; a supervisor places a slice
of their cases by rule or by hand; the agency's own user then holds (and sees) only those;
the case keeps its history; recall by hand or at term end returns it to its collector;
each step is an event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.assignment.agencies.service import recall_due
from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member, add_team, import_cases, route_client
from tests.conftest import FIXED_NOW

AGENCY = {"name": "诚信委外", "commission_rate": "0.2500", "term_days": 90}


def setup(client: Any, as_role: Any) -> dict[str, Any]:
    admin = as_role(Role.ADMIN)
    boss = add_member(client, admin, "boss1", Role.SUPERVISOR, team_id="T1")
    add_team(client, admin, "T1", supervisor_id=boss["id"], branch_id="B1")
    add_team(client, admin, "T2", branch_id="B2")
    route_client(client, admin, "BANK-A", "T1")
    route_client(client, admin, "BANK-B", "T2")
    a = add_member(client, admin, "phone-a", Role.PHONE_COLLECTOR, team_id="T1")
    add_member(client, admin, "phone-z", Role.PHONE_COLLECTOR, team_id="T2")
    m3 = {"days_past_due": 75}  # M3: 61-90 days
    late = import_cases(client, *({"client_id": "BANK-A"} | m3 for _ in range(3)))
    fresh = import_cases(client, {"client_id": "BANK-A", "days_past_due": 10})
    theirs = import_cases(client, {"client_id": "BANK-B"} | m3)
    made = client.put("/agencies/AGY-1", json=AGENCY, headers=admin)
    assert made.status_code == 200, made.text
    assert made.json()["team_id"] == "AGY-1"
    user = add_member(client, admin, "agy-user", Role.PHONE_COLLECTOR, team_id="AGY-1")
    return {
        "admin": admin, "boss": as_role(Role.SUPERVISOR, boss["id"], "T1"), "a": a,
        "late": late, "fresh": fresh, "theirs": theirs,
        "user": user, "as_user": as_role(Role.PHONE_COLLECTOR, user["id"], "AGY-1"),
    }  # fmt: skip


def queue(client: Any, headers: dict[str, str]) -> set[str]:
    return {
        i["case_id"] for i in client.get("/work-queue?limit=100", headers=headers).json()["items"]
    }


def test_a_supervisor_places_a_slice_by_rule_and_the_agency_sees_only_it(
    assignment: Any, as_role: Any
) -> None:
    s = setup(assignment, as_role)
    body = {"reason": "habitual late payers", "bucket": "M3"}
    placed = assignment.post("/agencies/AGY-1/placements", json=body, headers=s["boss"])
    assert placed.status_code == 201, placed.text
    rows = placed.json()
    assert sorted(p["case_id"] for p in rows) == sorted(s["late"]), "M3 of my team only"
    assert {p["collector_id"] for p in rows} == {s["user"]["id"]}
    assert {p["until"] for p in rows} == {"2027-02-21T02:00:00Z"}, "90 days"
    assert queue(assignment, s["as_user"]) == set(s["late"])
    history = assignment.get(f"/cases/{s['late'][0]}/assignments", headers=s["admin"]).json()
    assert len(history) == 2 and "委外" in str(history[-1])

    events = outbox(assignment, "CasePlacedWithAgency")
    assert len(events) == 3 and {str(e.payload.commission_rate) for e in events} == {"0.2500"}
    moved = {e.case_id for e in outbox(assignment, "CaseReassigned")}
    assert moved == set(s["late"])
    again = {"reason": "x", "case_ids": s["late"][:1]}
    assert (
        assignment.post("/agencies/AGY-1/placements", json=again, headers=s["admin"]).status_code
        == 409
    )
    placed_away = assignment.post("/agencies/AGY-1/placements", json=again, headers=s["boss"])
    assert placed_away.status_code == 404, "the agency's team holds it now"
    other_team = {"reason": "x", "case_ids": s["theirs"]}
    theirs = assignment.post("/agencies/AGY-1/placements", json=other_team, headers=s["boss"])
    assert theirs.status_code == 404, "not a case the supervisor manages"
    neither = assignment.post("/agencies/AGY-1/placements", json={"reason": "x"}, headers=s["boss"])
    assert neither.status_code == 422
    assert (
        assignment.post("/agencies/AGY-1/placements", json=body, headers=s["as_user"]).status_code
        == 403
    )


def test_recall_by_hand_and_at_term_end_return_the_case_to_its_collector(
    assignment: Any, as_role: Any, clock: Any
) -> None:
    s = setup(assignment, as_role)
    one, two = s["late"][:2]
    body = {"reason": "委外试点", "case_ids": [one, two]}
    first, _ = assignment.post("/agencies/AGY-1/placements", json=body, headers=s["boss"]).json()
    recalled = assignment.post(f"/agency-placements/{first['id']}/recall",
                               json={"reason": "bank asked"}, headers=s["boss"])  # fmt: skip
    assert recalled.status_code == 200, recalled.text
    assert (recalled.json()["status"], recalled.json()["recall_reason"]) == (
        "recalled",
        "bank asked",
    )
    assert one not in queue(assignment, s["as_user"])
    holder = as_role(Role.PHONE_COLLECTOR, first["previous_collector_id"], "T1")
    assert one in queue(assignment, holder)

    runtime = assignment.app.state.runtime
    with runtime.work() as uow:
        assert recall_due(uow) == 0, "the term has not ended"
    clock.at = FIXED_NOW + timedelta(days=91)
    with runtime.work() as uow:
        assert recall_due(uow) == 1
    [back] = assignment.get(
        "/agency-placements?status=recalled&agency_id=AGY-1", headers=s["boss"]
    ).json()[:1]
    assert queue(assignment, s["as_user"]) == set()
    events = outbox(assignment, "CaseRecalledFromAgency")
    assert [e.payload.reason for e in events] == ["bank asked", "term ended"]
    assert events[1].payload.recalled_by == "platform"
    assert {e.payload.returned_to for e in events} == {first["previous_collector_id"]}
    assert back["status"] == "recalled"
    twice = assignment.post(f"/agency-placements/{first['id']}/recall", json={"reason": "x"},
                            headers=s["boss"])  # fmt: skip
    assert twice.status_code == 409


def test_new_cases_never_go_to_an_agency_s_collectors_by_themselves(
    assignment: Any, as_role: Any
) -> None:
    s = setup(assignment, as_role)
    routed = import_cases(assignment, *({"client_id": "BANK-X"} for _ in range(6)))
    holders = {assignment.get(f"/cases/{c}", headers=s["admin"]).json()["collector_id"]
               for c in routed}  # fmt: skip
    assert None not in holders and s["user"]["id"] not in holders, "only by placement"
    assert queue(assignment, s["as_user"]) == set()
