"""An intake service in-process (TestClient with its lifespan, so migrations run), a
signing key for staff tokens, and helpers to act as back office or as a bank."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.intake.main import create_app
from services.intake.settings import IntakeSettings
from shared.auth.keys import generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_token

UNREACHABLE_BROKER = "127.0.0.1:1"


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def signing_key(key_dir: Path) -> Ed25519PrivateKey:
    return generate_key_pair(key_dir)


@pytest.fixture
def token_for(signing_key: Ed25519PrivateKey) -> Callable[..., dict[str, str]]:
    """Authorization headers for a member of staff with the given role."""

    def make(role: Role, subject: str | None = None, **scope: str) -> dict[str, str]:
        principal = Principal(
            subject=subject or f"{role.value}-1", kind="staff", role=role, **scope
        )
        token = issue_token(signing_key, principal, datetime.now(UTC), timedelta(minutes=10))
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def admin(token_for: Callable[..., dict[str, str]]) -> dict[str, str]:
    return token_for(Role.ADMIN, "admin-1")


def intake_settings(
    database_url: str, tmp_path: Path, key_dir: Path, **extra: Any
) -> IntakeSettings:
    return IntakeSettings(
        environment="test",
        database_url=database_url,
        data_dir=tmp_path / "data",
        kafka_bootstrap_servers=UNREACHABLE_BROKER,
        kafka_request_timeout_ms=1000,
        auth_key_dir=key_dir,
        log_json=False,
        log_level="WARNING",
        **extra,
    )


def running(settings: IntakeSettings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while not app.state.runtime.migrated:
            assert time.monotonic() < deadline, "intake did not migrate its schema"
            time.sleep(0.02)
        yield client


@pytest.fixture
def intake(
    database_url: str, tmp_path: Path, key_dir: Path, signing_key: Ed25519PrivateKey
) -> Iterator[TestClient]:
    yield from running(intake_settings(database_url, tmp_path, key_dir))


@pytest.fixture
def small_intake(
    database_url: str, tmp_path: Path, key_dir: Path, signing_key: Ed25519PrivateKey
) -> Iterator[TestClient]:
    """Intake with a 2 KiB case-file limit."""
    yield from running(intake_settings(database_url, tmp_path, key_dir, max_file_bytes=2048))


def register_bank(client: TestClient, admin: dict[str, str], client_id: str) -> dict[str, str]:
    """Register a bank and give it a key; answers the bank's headers."""
    answer = client.post(
        "/clients", json={"id": client_id, "name": f"{client_id} bank"}, headers=admin
    )
    assert answer.status_code == 201, answer.text
    made = client.post(f"/clients/{client_id}/api-keys", json={"label": "uploads"}, headers=admin)
    assert made.status_code == 201, made.text
    return {"X-API-Key": made.json()["key"]}


def case_file(*rows: tuple[str, str, str], id_number: str = "110101199003077571") -> bytes:
    lines = ["卡号,姓名,欠款总额,手机号,身份证号"]
    lines += [f'{a},{n},"{t}",13800138000,{id_number}' for a, n, t in rows]
    return ("\n".join(lines) + "\n").encode()


def post_file(
    client: TestClient,
    client_id: str,
    content: bytes,
    headers: dict[str, str],
    name: str = "cases.csv",
) -> Any:
    return client.post(
        f"/clients/{client_id}/case-files",
        files={"file": (name, content, "text/csv")},
        headers=headers,
    )


def outbox_types(client: TestClient) -> list[str]:
    """The event types in intake's outbox, in the order written."""
    from services.intake.models import BUS

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.db.reader() as session:
        rows = session.execute(
            BUS.outbox.select().order_by(BUS.outbox.c.id)  # type: ignore[arg-type]
        ).all()
    return [r.event_type for r in rows]


def outbox_payloads(client: TestClient, event_type: str) -> list[dict[str, Any]]:
    import json

    from services.intake.models import BUS

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.db.reader() as session:
        rows = session.execute(
            BUS.outbox.select()
            .where(BUS.outbox.c.event_type == event_type)
            .order_by(BUS.outbox.c.id)
        ).all()
    return [json.loads(r.body) for r in rows]


AGREEMENT = {
    "number": "HT-2026-001",
    "status": "active",
    "start_date": "2026-01-01",
    "end_date": "2027-12-31",
    "product_types": ["credit_card"],
    "commission": {"rate": "0.18", "by_bucket": {"M3": "0.25"}},
    "reconciliation_day": 25,
    "recovery_target": "23000000.00",
    "regular_channel": {"contact_person": "王敏", "phone": "021-12345678", "email": "a@bank.cn"},
    "emergency_channel": {"contact_person": "李强", "phone": "13900139000", "email": "e@bank.cn"},
}
