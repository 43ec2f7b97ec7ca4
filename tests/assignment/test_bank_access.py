"""A bank's token on assignment: its own client's blacklist entries only, refused once its
API key is revoked; admins and HQ see every entry; costs on a case as cases are seen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from shared.auth.keys import generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.revocation import bank_subject
from shared.auth.tokens import issue_token
from shared.events import new_event
from shared.events.catalog import BankAccessRevoked
from tests.assignment.conftest import outbox
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported, payment_received
from tests.security.kit import StaffKeys

DEBTOR = "110101199003071233"
OTHER_DEBTOR = "310101198501011234"
Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def bank(keys: StaffKeys) -> Headers:
    """Bearer headers of a bank token, signed by a bank key as intake signs them; the
    key id of ``BANK-A`` is ``key-BANK-A``."""
    bank_key = generate_key_pair(keys.key_dir, bank=True)

    def make(client_id: str) -> dict[str, str]:
        principal = Principal(
            subject=bank_subject(f"key-{client_id}"), kind="bank", client_id=client_id
        )
        token = issue_token(bank_key, principal, datetime.now(UTC), timedelta(minutes=15))
        return {"Authorization": f"Bearer {token}"}

    return make


def _settle(client: TestClient, client_id: str, id_number: str, days_past_due: int) -> str:
    imported = case_imported(
        FIXED_NOW,
        client_id=client_id,
        total="500.00",
        id_number=id_number,
        days_past_due=days_past_due,
    )
    paid = payment_received(imported.case_id, "500.00", FIXED_NOW, client_id=client_id)
    outcome = client.app.state.runtime.dispatch([imported, paid])  # type: ignore[attr-defined]
    assert not outcome.rejected, outcome
    return imported.case_id


def _search(client: TestClient, headers: dict[str, str], id_number: str = DEBTOR):
    return client.post("/blacklist/search", json={"id_number": id_number}, headers=headers)


def test_a_bank_sees_only_its_own_debtors_on_the_blacklist(
    bank: Headers, assignment: TestClient, as_role: Callable[..., dict[str, str]]
) -> None:
    case_a = _settle(assignment, "BANK-A", DEBTOR, 120)
    case_b = _settle(assignment, "BANK-B", DEBTOR, 95)
    _settle(assignment, "BANK-A", OTHER_DEBTOR, 10)

    own = _search(assignment, bank("BANK-A"))
    assert own.status_code == 200, own.text
    assert own.json()["listed"] is True
    assert [(e["client_id"], e["case_id"]) for e in own.json()["entries"]] == [("BANK-A", case_a)]
    assert own.json()["entries"][0]["days_overdue"] == 120
    other = _search(assignment, bank("BANK-B")).json()["entries"]
    assert [e["case_id"] for e in other] == [case_b]
    assert _search(assignment, bank("BANK-C")).json() == {"listed": False, "entries": []}
    assert _search(assignment, bank("BANK-A"), OTHER_DEBTOR).json()["listed"] is False
    assert _search(assignment, bank("BANK-A"), "1101 0119 9003 071233").json()["listed"]

    for role in (Role.ADMIN, Role.HQ):
        every = _search(assignment, as_role(role)).json()["entries"]
        assert sorted(e["client_id"] for e in every) == ["BANK-A", "BANK-B"]
    for role in (Role.PHONE_COLLECTOR, Role.SUPERVISOR, Role.BRANCH_MANAGER):
        assert _search(assignment, as_role(role)).status_code == 403
    assert _search(assignment, bank("BANK-A"), "not/an-id").status_code == 422


def test_a_bank_token_works_on_assignment_until_its_key_is_revoked(
    bank: Headers, assignment: TestClient, as_role: Callable[..., dict[str, str]]
) -> None:
    case_a = _settle(assignment, "BANK-A", DEBTOR, 120)
    token_a, token_b = bank("BANK-A"), bank("BANK-B")
    assert _search(assignment, token_a).status_code == 200
    assert assignment.get(f"/cases/{case_a}", headers=token_a).status_code == 403
    seen = assignment.get(f"/cases/{case_a}", headers=as_role(Role.ADMIN)).json()
    assert (seen["close_outcome"], seen["close_reason"]) == ("paid", "paid in full")
    key = {"X-API-Key": "ck_abcdefgh_" + "x" * 40}
    assert _search(assignment, key).status_code == 401, "API keys stay on intake"

    revoked = new_event(
        BankAccessRevoked(client_id="BANK-A", key_id="key-BANK-A", revoked_at=FIXED_NOW),
        occurred_at=FIXED_NOW,
        case_id=None,
    )
    runtime = assignment.app.state.runtime  # type: ignore[attr-defined]
    assert runtime.dispatch([revoked]).handled_count == 1
    refused = _search(assignment, token_a)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert _search(assignment, bank("BANK-A")).status_code == 401, "a fresh token too"
    assert _search(assignment, token_b).status_code == 200, "other keys are untouched"


def test_costs_are_recorded_by_their_approver_and_seen_as_the_case(
    assignment: TestClient, as_role: Callable[..., dict[str, str]], bank: Headers
) -> None:
    admin = as_role(Role.ADMIN)
    member = assignment.post(
        "/staff",
        headers=admin,
        json={
            "username": "c.t1",
            "name": "甲",
            "role": "phone_collector",
            "password": "a-long-password",
            "team_id": "T1",
        },
    )
    assert member.status_code == 201, member.text
    imported = case_imported(FIXED_NOW)
    assignment.app.state.runtime.dispatch([imported])  # type: ignore[attr-defined]
    url = f"/cases/{imported.case_id}/costs"
    supervisor = as_role(Role.SUPERVISOR, "sup-1", "T1")
    body = {"kind": "travel", "amount": "86.50", "incurred_on": "2026-11-20", "note": "高铁"}

    made = assignment.post(url, json=body, headers=supervisor)
    assert made.status_code == 201, made.text
    assert made.json()["approved_by"] == "sup-1" and Decimal(made.json()["amount"]) == Decimal(
        "86.50"
    )
    court = {"kind": "court", "amount": "1200", "incurred_on": "2026-11-21"}
    assert assignment.post(url, json=court, headers=admin).status_code == 201
    [first, _] = outbox(assignment, "CaseCostRecorded")
    assert first.case_id == imported.case_id and first.payload.approved_by == "sup-1"
    assert (first.payload.kind, first.payload.amount) == ("travel", Decimal("86.50"))

    holder = as_role(Role.PHONE_COLLECTOR, member.json()["id"], "T1")
    listed = assignment.get(url, headers=holder)
    assert listed.status_code == 200, listed.text
    assert Decimal(listed.json()["total"]) == Decimal("1286.50")
    assert [c["kind"] for c in listed.json()["items"]] == ["travel", "court"]
    assert assignment.post(url, json=body, headers=holder).status_code == 403
    assert (
        assignment.get(url, headers=as_role(Role.PHONE_COLLECTOR, "someone-else")).status_code
        == 404
    )
    other_team = as_role(Role.SUPERVISOR, "sup-2", "T2")
    assert assignment.post(url, json=body, headers=other_team).status_code == 404
    assert assignment.get(url, headers=bank("BANK-A")).status_code == 403
    bad = {**body, "amount": "-5"}
    assert assignment.post(url, json=bad, headers=supervisor).status_code == 422
