"""Verified tokens are remembered for a short while, never past their expiry, and only so
many at once; a request with a remembered token still gets exactly the principal its
signature proved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from shared.auth.keys import PublicKeyRing, generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_token
from shared.auth.verified import VerifiedTokens
from shared.auth.web import Authenticator, PrincipalDep, access
from shared.errors import install_problem_handlers

ME = Principal(subject="c-1", kind="staff", role=Role.PHONE_COLLECTOR, team_id="T1")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lasts_its_keep_time_or_until_the_token_expires() -> None:
    clock = Clock()
    seen = VerifiedTokens(keep_seconds=60, clock=clock)
    seen.put("a", ME, expires_at=clock.now + 3_600)
    seen.put("b", ME, expires_at=clock.now + 10)
    clock.now += 11
    assert seen.get("a") == ME
    assert seen.get("b") is None, "past its own expiry"
    clock.now += 50
    assert seen.get("a") is None, "past the keep time"


def test_the_oldest_entries_go_first_when_full() -> None:
    seen = VerifiedTokens(max_entries=2, clock=Clock())
    for token in ("a", "b", "c"):
        seen.put(token, ME, expires_at=10_000)
    assert [seen.get(t) is not None for t in ("a", "b", "c")] == [False, True, True]


@pytest.fixture
def served(tmp_path: Path) -> tuple[TestClient, str, Authenticator]:
    key = generate_key_pair(tmp_path / "keys")
    authenticator = Authenticator(PublicKeyRing(tmp_path / "keys"))
    app = FastAPI()
    install_problem_handlers(app)

    class Runtime:
        pass

    runtime = Runtime()
    runtime.authenticator = authenticator  # type: ignore[attr-defined]
    app.state.runtime = runtime

    @app.get("/me", dependencies=[access(Role.PHONE_COLLECTOR)])
    async def me(principal: PrincipalDep, request: Request) -> dict:
        return {"subject": principal.subject, "team": principal.team_id}

    token = issue_token(key, ME, datetime.now(UTC), timedelta(minutes=5))
    return TestClient(app), token, authenticator


def test_a_remembered_token_gives_the_same_principal(served) -> None:
    client, token, authenticator = served
    for _ in range(3):
        answer = client.get("/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.json() == {"subject": "c-1", "team": "T1"}
    assert authenticator.verified.get(token) == ME


def test_a_forged_token_is_not_remembered_and_stays_refused(served) -> None:
    client, token, authenticator = served
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for _ in range(2):
        assert client.get("/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert authenticator.verified.get(forged) is None
