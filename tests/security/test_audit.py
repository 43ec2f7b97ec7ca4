"""The audit trail: reads, changes and refusals are recorded; only admins and HQ read it."""

from __future__ import annotations

from shared.auth.principal import Role

from .conftest import SERVICE_NAMES, World, admin_headers
from .kit import staff


def _entries(world: World, service: str, **query: str) -> list[dict]:
    answer = world.clients[service].get("/audit", params=query, headers=admin_headers(world))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_collector_reading_a_case_is_recorded(world: World) -> None:
    assert world.collector_a is not None
    case_id = world.params["case_id"]
    read = world.clients["contact"].get(
        f"/cases/{case_id}",
        headers={**world.keys.headers(world.collector_a), "X-Correlation-ID": "audit-read-1"},
    )
    assert read.status_code == 200

    entries = _entries(world, "contact", case_id=case_id)
    mine = [e for e in entries if e["correlation_id"] == "audit-read-1"]
    assert len(mine) == 1
    entry = mine[0]
    assert entry["subject"] == world.collector_a.subject
    assert entry["role"] == "phone_collector"
    assert entry["action"] == "read"
    assert entry["outcome"] == "200"
    assert entry["client_id"] == "BANK-A"
    assert entry["source_ip"]
    assert entry["at"].endswith("Z") or entry["at"].endswith("+00:00")


def test_a_refused_read_is_recorded_too(world: World) -> None:
    outsider = staff("collector-nosy", Role.PHONE_COLLECTOR, "T9", "B9")
    case_id = world.params["case_id"]
    denied = world.clients["letters"].get(f"/cases/{case_id}", headers=world.keys.headers(outsider))
    assert denied.status_code == 404
    entries = _entries(world, "letters", subject="collector-nosy")
    assert [(e["case_id"], e["outcome"]) for e in entries] == [(case_id, "404")]


def test_a_change_is_recorded_as_a_change(world: World) -> None:
    admin = admin_headers(world)
    made = world.clients["assignment"].post(
        "/staff",
        headers={**admin, "X-Correlation-ID": "audit-change-1"},
        json={
            "username": "audit.probe",
            "name": "乙",
            "role": "supervisor",
            "password": "another-long-password",
            "team_id": "T1",
        },
    )
    assert made.status_code == 201
    entries = [e for e in _entries(world, "assignment") if e["correlation_id"] == "audit-change-1"]
    assert [(e["action"], e["method"], e["path"]) for e in entries] == [
        ("change", "POST", "/staff")
    ]


def test_only_admins_and_hq_read_the_trail(world: World) -> None:
    for service in SERVICE_NAMES:
        client = world.clients[service]
        for role in (Role.PHONE_COLLECTOR, Role.SUPERVISOR, Role.BRANCH_MANAGER):
            refused = client.get("/audit", headers=world.keys.headers(staff("x", role, "T1")))
            assert refused.status_code == 403, f"{service} {role}"
        hq = client.get("/audit", headers=world.keys.headers(staff("hq-1", Role.HQ)))
        assert hq.status_code == 200


def test_the_trail_cannot_be_changed_through_any_route(world: World) -> None:
    for service in SERVICE_NAMES:
        paths = world.clients[service].app.openapi()["paths"]
        audit_operations = {
            (method.upper(), path)
            for path, ops in paths.items()
            if path.startswith("/audit")
            for method in ops
        }
        assert audit_operations == {("GET", "/audit")}, service
