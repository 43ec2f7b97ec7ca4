"""Staff, teams and cases for assignment's HTTP tests."""

from __future__ import annotations

from typing import Any

from shared.auth.principal import Role
from shared.events import new_event
from shared.events.catalog import ContactAttempted, FieldVisitReported
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported


def add_member(client: Any, admin: dict[str, str], username: str, role: Role, **extra: Any) -> dict:
    body = {"username": username, "name": username, "role": role.value}
    answer = client.post(
        "/staff", json={**body, "password": "a-long-password", **extra}, headers=admin
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def add_team(client: Any, admin: dict[str, str], team_id: str, **extra: Any) -> None:
    answer = client.post("/teams", json={"id": team_id, "name": team_id, **extra}, headers=admin)
    assert answer.status_code == 201, answer.text


def route_client(client: Any, admin: dict[str, str], client_id: str, team_id: str) -> None:
    rule = {"name": f"{client_id}→{team_id}", "team_id": team_id, "client_id": client_id}
    answer = client.post("/rules", json=rule, headers=admin)
    assert answer.status_code == 201, answer.text


def import_cases(client: Any, *facts: dict[str, Any]) -> list[str]:
    """One CaseImported per ``facts`` (client_id, days_past_due, product_type…), handled."""
    events = [case_imported(FIXED_NOW, **f) for f in facts]
    client.app.state.runtime.dispatch(events)
    return [e.case_id for e in events]


def contact_attempted(case_id: str, collector_id: str, at=FIXED_NOW) -> Any:
    payload = ContactAttempted(
        attempt_id=f"att-{case_id[:8]}",
        collector_id=collector_id,
        channel="phone",
        party="debtor",
        outcome="no_answer",
        attempted_at=at,
    )
    return new_event(payload, occurred_at=at, case_id=case_id)


def visit_reported(case_id: str, visit_id: str, field_collector_id: str, at=FIXED_NOW) -> Any:
    payload = FieldVisitReported(
        visit_id=visit_id,
        field_collector_id=field_collector_id,
        visited_at=at,
        found="债务人在家，承诺月底还款",
        reported_at=at,
    )
    return new_event(payload, occurred_at=at, case_id=case_id)
