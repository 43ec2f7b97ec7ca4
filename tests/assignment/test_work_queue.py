"""The work queue over HTTP: each collector's own open cases, most urgent first, in keyset
pages; team leads see their team's, branch managers their branch's; anyone else's queue
answers 404. The next action follows the ladder, contact attempts and the debtor's type."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, update

from services.assignment.models import AssignedCase
from services.assignment.work_queue.schemas import QueuePage
from shared.auth.principal import Role
from tests.assignment.kit import add_member, add_team, contact_attempted, import_cases, route_client
from tests.conftest import FIXED_NOW
from tests.security.kit import staff


def setup(client: Any, as_role: Any) -> dict[str, Any]:
    admin = as_role(Role.ADMIN)
    lead = add_member(client, admin, "lead1", Role.TEAM_LEAD, team_id="T1")
    add_team(client, admin, "T1", lead_id=lead["id"], branch_id="B1")
    add_team(client, admin, "T2", branch_id="B2")
    a = add_member(client, admin, "col-a", Role.PHONE_COLLECTOR, team_id="T1", branch_id="B1")
    b = add_member(client, admin, "col-b", Role.PHONE_COLLECTOR, team_id="T1", branch_id="B1")
    c = add_member(client, admin, "col-c", Role.PHONE_COLLECTOR, team_id="T2", branch_id="B2")
    route_client(client, admin, "BANK-A", "T1")
    route_client(client, admin, "BANK-B", "T2")
    ids = import_cases(
        client,
        *({"client_id": "BANK-A", "days_past_due": d} for d in (0, 2, 5, 40, 1, 3)),
        *({"client_id": "BANK-B", "days_past_due": d} for d in (3, 9)),
    )
    return {"admin": admin, "lead": lead, "a": a, "b": b, "c": c, "cases": ids}


def whole_queue(client: Any, url: str, headers: dict[str, str], limit: int) -> list[dict]:
    items, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"after": cursor} if cursor else {})
        page = client.get(url, params=params, headers=headers)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def test_a_collector_sees_only_their_own_cases_most_urgent_first(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    mine = as_role(Role.PHONE_COLLECTOR, s["a"]["id"], "T1")
    items = whole_queue(assignment, "/work-queue", mine, limit=2)
    assert items and {i["collector_id"] for i in items} == {s["a"]["id"]}
    keys = [(i["next_action_due"], i["case_id"]) for i in items]
    assert keys == sorted(keys), "most urgent first, across pages"
    assert len({i["case_id"] for i in items}) == len(items)
    again = assignment.get(f"/staff/{s['a']['id']}/work-queue?limit=50", headers=mine).json()
    assert [i["case_id"] for i in again["items"]] == [i["case_id"] for i in items]
    for other in (s["b"]["id"], s["c"]["id"], "nobody"):
        assert assignment.get(f"/staff/{other}/work-queue", headers=mine).status_code == 404

    b_items = whole_queue(
        assignment, "/work-queue", as_role(Role.PHONE_COLLECTOR, s["b"]["id"], "T1"), 50
    )
    assert len(items) + len(b_items) == 6, "BANK-A's six cases are split between a and b"
    assert not {i["case_id"] for i in items} & {i["case_id"] for i in b_items}
    unshaped = assignment.get("/work-queue?after=not%20a%20cursor", headers=mine)
    assert unshaped.status_code == 422, "not the documented shape"
    unknown = assignment.get("/work-queue?after=not-a-cursor", headers=mine)
    assert unknown.status_code == 404, "the documented shape, but no page after it"
    assert "cursor" in unknown.json()["detail"]


def test_cases_with_no_next_action_due_come_last_and_pages_go_past_them(
    assignment, as_role
) -> None:
    s = setup(assignment, as_role)
    undated = sorted(s["cases"][:3])
    with assignment.app.state.runtime.work() as uow:
        uow.session.execute(
            update(AssignedCase)
            .where(col(AssignedCase.id).in_(undated))
            .values(next_action_due=None)
        )
    for limit in (1, 2, 3, 50):
        items = whole_queue(assignment, "/work-queue", s["admin"], limit)
        assert len(items) == 8 and len({i["case_id"] for i in items}) == 8, limit
        assert [i["case_id"] for i in items[-3:]] == undated, "undated last, by case id"
        dated = [i["next_action_due"] for i in items[:-3]]
        assert None not in dated and dated == sorted(dated)


def test_overdue_next_actions_come_first_and_are_flagged(assignment, as_role, clock) -> None:
    s = setup(assignment, as_role)
    everyone = whole_queue(assignment, "/work-queue", s["admin"], limit=3)
    assert len(everyone) == 8
    assert {i["next_action"] for i in everyone} == {"first_contact"}, "every new case"
    assert not any(i["overdue"] for i in everyone), "nothing is overdue on arrival"
    assert sorted(i["bucket"] for i in everyone) == ["M0", "M1", "M1", "M1", "M1", "M1", "M1",
                                                     "M2"]  # fmt: skip
    late, fresh = s["cases"][3], s["cases"][0]  # 40 and 0 days past due
    holders = {i["case_id"]: i["collector_id"] for i in everyone}
    runtime = assignment.app.state.runtime
    runtime.dispatch([contact_attempted(c, holders[c]) for c in (late, fresh)])

    clock.at = FIXED_NOW + timedelta(hours=3)
    everyone = whole_queue(assignment, "/work-queue", s["admin"], limit=3)
    assert [i["overdue"] for i in everyone] == [True] * 6 + [False] * 2, "overdue first"
    assert {i["next_action"] for i in everyone[:6]} == {"first_contact"}
    visit, legal = everyone[6:]
    assert (visit["case_id"], visit["next_action"]) == (fresh, "visit")
    assert visit["next_action_due"] == "2026-11-23T10:00:00Z", "18:00 Shanghai, day 0"
    assert (legal["case_id"], legal["next_action"]) == (late, "legal")
    assert legal["bucket"] == "M2", "the bucket today, by the one rule"
    assert legal["next_action_due"] == "2026-11-24T10:00:00Z", "day 30 went by before arrival"


def test_team_leads_see_their_team_and_branch_managers_their_branch(
    assignment, as_role, keys
) -> None:
    s = setup(assignment, as_role)
    lead = as_role(Role.TEAM_LEAD, s["lead"]["id"], "T1")
    team = whole_queue(assignment, "/work-queue", lead, limit=4)
    assert {i["collector_id"] for i in team} == {s["a"]["id"], s["b"]["id"]}
    assert assignment.get(f"/staff/{s['a']['id']}/work-queue", headers=lead).status_code == 200
    assert assignment.get(f"/staff/{s['c']['id']}/work-queue", headers=lead).status_code == 404

    manager = keys.headers(staff("bm-2", Role.BRANCH_MANAGER, branch_id="B2"))
    branch = whole_queue(assignment, "/work-queue", manager, limit=10)
    assert len(branch) == 2 and {i["collector_id"] for i in branch} == {s["c"]["id"]}
    assert assignment.get(f"/staff/{s['a']['id']}/work-queue", headers=manager).status_code == 404
    field = as_role(Role.FIELD_COLLECTOR, "f-1")
    assert assignment.get("/work-queue", headers=field).json()["items"] == []


def test_the_next_action_moves_on_when_the_case_is_worked_and_with_the_debtor(
    assignment, as_role
) -> None:
    s = setup(assignment, as_role)
    runtime = assignment.app.state.runtime
    [case_id] = import_cases(assignment, {"client_id": "BANK-B", "days_past_due": 1})
    holder = as_role(Role.PHONE_COLLECTOR, s["c"]["id"], "T2")
    before = assignment.get(f"/cases/{case_id}/strategy", headers=holder).json()
    assert (before["next_action"], before["next_action_due"]) == (
        "first_contact",
        "2026-11-23T04:00:00Z",
    )
    runtime.dispatch([contact_attempted(case_id, s["c"]["id"])])
    entry = assignment.get(f"/cases/{case_id}/strategy", headers=holder).json()
    assert (entry["next_action"], entry["next_action_due"]) == ("phone", "2026-11-23T10:00:00Z")

    runtime.dispatch([contact_attempted(case_id, s["c"]["id"])])
    after = assignment.get(f"/cases/{case_id}/strategy", headers=holder).json()
    assert (after["next_action"], after["next_action_due"]) == ("phone", "2026-11-24T10:00:00Z")

    habitual = {"debtor_type": "habitual", "situation": "poor_with_prospects"}
    answer = assignment.put(f"/cases/{case_id}/strategy", json=habitual, headers=holder)
    assert answer.status_code == 200, answer.text
    assessed = answer.json()
    assert assessed["next_channel"] == "fax", "habitual payers: fax rather than phone"
    assert assessed["treatment"] == "secured_arrangement"
    assert assessed["treatment_needs_approval"] == "secured_arrangement"
    stranger = as_role(Role.PHONE_COLLECTOR, s["a"]["id"], "T1")
    refused = assignment.put(f"/cases/{case_id}/strategy", json=habitual, headers=stranger)
    assert refused.status_code == 404

    ladder = {"steps": [{"day": 0, "action": "phone", "channel": "sms"}]}
    put = assignment.put("/strategy/ladders/*", json=ladder, headers=s["admin"])
    assert put.status_code == 200, put.text
    replanned = assignment.get(f"/cases/{case_id}/strategy", headers=holder).json()
    assert (replanned["next_action"], replanned["next_channel"]) == ("phone", "fax")
    assert replanned["next_action_due"] == "2026-11-24T10:00:00Z", (
        "the only step, day 0, went by before arrival: due the day after the first contact"
    )
    dup = {"steps": [ladder["steps"][0], ladder["steps"][0]]}
    assert assignment.put("/strategy/ladders/loan", json=dup, headers=s["admin"]).status_code == 422


def test_a_queue_page_is_exactly_what_its_response_model_sends(assignment, as_role) -> None:
    s = setup(assignment, as_role)
    for headers, url in (
        (as_role(Role.PHONE_COLLECTOR, s["a"]["id"], "T1"), "/work-queue?limit=2"),
        (s["admin"], f"/staff/{s['a']['id']}/work-queue?limit=50"),
    ):
        page = assignment.get(url, headers=headers)
        assert page.status_code == 200, page.text
        assert page.headers["content-type"] == "application/json"
        body = page.json()
        assert body["items"], url
        assert QueuePage.model_validate(body).model_dump(mode="json") == body
        assert all(i["next_action_due"].endswith("Z") for i in body["items"]), "times in UTC"
