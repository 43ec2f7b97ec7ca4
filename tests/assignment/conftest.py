"""Assignment in-process (TestClient with its lifespan, so migrations run) on a clock the
test moves, with real staff tokens."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.assignment.main import create_app
from services.assignment.models import BUS
from services.assignment.settings import AssignmentSettings
from shared.auth.principal import Role
from shared.events import decode
from tests.conftest import FIXED_NOW
from tests.security.kit import StaffKeys, staff


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(FIXED_NOW)


@pytest.fixture
def keys(tmp_path: Path) -> StaffKeys:
    return StaffKeys(tmp_path / "keys")


@pytest.fixture
def assignment(
    database_url: str, tmp_path: Path, keys: StaffKeys, clock: Clock
) -> Iterator[TestClient]:
    settings = AssignmentSettings(
        environment="test",
        database_url=database_url,
        data_dir=tmp_path / "data",
        kafka_bootstrap_servers="127.0.0.1:1",
        kafka_request_timeout_ms=1000,
        auth_key_dir=keys.key_dir,
        auth_signing_key_file=keys.key_dir / "signing-key.pem",
        log_json=False,
        log_level="WARNING",
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while not app.state.runtime.migrated:
            assert time.monotonic() < deadline, "assignment did not migrate its schema"
            time.sleep(0.02)
        yield client


@pytest.fixture
def as_role(keys: StaffKeys) -> Callable[..., dict[str, str]]:
    def make(role: Role, subject: str | None = None, team_id: str | None = None) -> dict[str, str]:
        return keys.headers(staff(subject or f"{role.value}-1", role, team_id))

    return make


def outbox(client: TestClient, event_type: str) -> list[Any]:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.db.reader() as session:
        bodies = session.execute(
            BUS.outbox.select()
            .where(BUS.outbox.c.event_type == event_type)
            .order_by(BUS.outbox.c.id)
        ).all()
    return [decode(row.body) for row in bodies]
