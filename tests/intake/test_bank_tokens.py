"""A bank exchanges its API key for a bank token; revoking the key ends the token at once
and is announced to every service."""

from __future__ import annotations

from collections.abc import Callable

import jwt
from fastapi.testclient import TestClient

from shared.auth.principal import Role
from tests.intake.conftest import outbox_payloads, register_bank


def _token(intake: TestClient, bank: dict[str, str]) -> dict[str, str]:
    answer = intake.post("/auth/bank-token", headers=bank)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_key_becomes_a_token_for_its_own_client_only(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    register_bank(intake, admin, "CMB-BJ")
    answer = intake.post("/auth/bank-token", headers=bank)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["client_id"] == "ICBC-SH" and body["expires_in"] == 15 * 60
    kid = jwt.get_unverified_header(body["access_token"])["kid"]
    ring = intake.app.state.runtime.authenticator.ring  # type: ignore[attr-defined]
    assert ring.signs_banks_only(kid), "signed with intake's bank key, not a staff key"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    [key] = intake.get("/clients/ICBC-SH/api-keys", headers=admin).json()
    assert claims["sub"] == f"apikey:{key['id']}" and claims["role"] is None

    token = {"Authorization": f"Bearer {body['access_token']}"}
    assert intake.get("/clients/ICBC-SH", headers=token).status_code == 200
    assert intake.get("/clients/CMB-BJ", headers=token).status_code == 404
    assert intake.get("/clients", headers=token).status_code == 403


def test_only_an_api_key_is_exchanged(
    intake: TestClient, admin: dict[str, str], token_for: Callable[..., dict[str, str]]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    token = _token(intake, bank)
    assert intake.post("/auth/bank-token", headers=token).status_code == 403
    assert intake.post("/auth/bank-token", headers=token_for(Role.ADMIN)).status_code == 403
    wrong = {"X-API-Key": "ck_abcdefgh_" + "x" * 40}
    assert intake.post("/auth/bank-token", headers=wrong).status_code == 401
    assert intake.post("/auth/bank-token").status_code == 401


def test_revoking_the_key_ends_its_tokens_at_once_and_is_announced(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    token = _token(intake, bank)
    [key] = intake.get("/clients/ICBC-SH/api-keys", headers=admin).json()
    url = f"/clients/ICBC-SH/api-keys/{key['id']}"
    assert intake.delete(url, headers=admin).status_code == 204
    assert intake.delete(url, headers=admin).status_code == 204

    refused = intake.get("/clients/ICBC-SH", headers=token)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert intake.post("/auth/bank-token", headers=bank).status_code == 401
    announced = [e["payload"] for e in outbox_payloads(intake, "BankAccessRevoked")]
    assert [(a["client_id"], a["key_id"]) for a in announced] == [("ICBC-SH", key["id"])]
