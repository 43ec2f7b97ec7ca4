"""What the document says is what is taken: an integer is not ``false``, a date-time is
not ``0.5``."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.assignment.kit import add_member

MEMBER = {
    "username": "strict.x",
    "name": "x",
    "role": "phone_collector",
    "password": "a-long-password",
}


def test_a_boolean_capacity_is_refused_where_it_is(assignment, as_role) -> None:
    admin = as_role(Role.ADMIN)
    refused = assignment.post("/staff", json={**MEMBER, "capacity": False}, headers=admin)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == "body.capacity"
    member = add_member(assignment, admin, "strict.y", Role.PHONE_COLLECTOR, capacity=3)
    patched = assignment.patch(f"/staff/{member['id']}", json={"capacity": True}, headers=admin)
    assert patched.status_code == 422
    kept = assignment.patch(f"/staff/{member['id']}", json={"capacity": 7}, headers=admin)
    assert kept.status_code == 200 and kept.json()["capacity"] == 7


def test_a_number_is_not_a_date_time(assignment, as_role) -> None:
    admin = as_role(Role.ADMIN)
    refused = assignment.get("/field-visits/alerts", params={"since": "0.5"}, headers=admin)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == "query.since"
    assert "ISO 8601" in refused.json()["detail"]
    since = {"since": "2026-11-23T08:00:00+08:00"}
    assert assignment.get("/field-visits/alerts", params=since, headers=admin).status_code == 200
