"""The contact service in-process on a clock the test moves, staff tokens, and a case
seeded through the real handlers (imported, then assigned to collector A in team T1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.contact.main import create_app
from services.contact.settings import ContactSettings
from shared.auth.principal import Principal, Role
from shared.db import migrate
from shared.events import Envelope, decode
from shared.runtime import Runtime
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.events_kit import case_assigned, case_imported
from tests.security.kit import StaffKeys, staff

COLLECTOR_A = staff("collector-a", Role.PHONE_COLLECTOR, "T1", "B1")
COLLECTOR_B = staff("collector-b", Role.PHONE_COLLECTOR, "T2", "B1")
LEAD_T1 = staff("lead-1", Role.TEAM_LEAD, "T1", "B1")
SUPERVISOR_T1 = staff("super-1", Role.SUPERVISOR, "T1", "B1")
HQ = staff("hq-1", Role.HQ)
ADMIN = staff("admin-1", Role.ADMIN)


@dataclass
class MovingClock:
    now: datetime = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Desk:
    client: TestClient
    runtime: Runtime
    clock: MovingClock
    keys: StaffKeys
    case_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_(self, principal: Principal) -> dict[str, str]:
        return self.keys.headers(principal)

    def post(self, path: str, body: dict[str, Any], who: Principal = COLLECTOR_A) -> Any:
        return self.client.post(f"/cases/{self.case_id}{path}", json=body, headers=self.as_(who))

    def get(self, path: str, who: Principal = COLLECTOR_A) -> Any:
        return self.client.get(f"/cases/{self.case_id}{path}", headers=self.as_(who))

    def events(self, event_type: str) -> list[Any]:
        """The payloads of ``event_type`` the service put in its outbox, oldest first."""
        outbox = self.runtime.parts.tables.outbox
        with self.runtime.db.reader() as session:
            bodies = session.execute(
                select(outbox.c.body).where(outbox.c.event_type == event_type).order_by(outbox.c.id)
            ).scalars()
            return [decode(body.encode()).payload for body in bodies]

    def dispatch(self, *events: Envelope[Any]) -> None:
        outcome = self.runtime.dispatch(events)
        assert not outcome.rejected, outcome.rejected


@pytest.fixture
def make_desk(databases: DatabaseFactory, tmp_path: Path) -> Callable[..., Desk]:
    def make(**settings: Any) -> Desk:
        keys = StaffKeys(tmp_path / "keys")
        clock = MovingClock()
        app = create_app(
            ContactSettings(
                environment="test",
                database_url=databases.new("contact"),
                data_dir=tmp_path / "contact",
                auth_key_dir=keys.key_dir,
                kafka_bootstrap_servers="127.0.0.1:1",
                log_json=False,
                log_level="WARNING",
                **settings,
            ),
            clock=clock,
        )
        runtime: Runtime = app.state.runtime
        migrate(runtime.db, runtime.parts.migrations)
        desk = Desk(client=TestClient(app), runtime=runtime, clock=clock, keys=keys)
        imported = case_imported(FIXED_NOW - timedelta(hours=1), contacts=("李四",))
        desk.case_id = imported.case_id
        desk.dispatch(imported, case_assigned(FIXED_NOW, desk.case_id, COLLECTOR_A.subject))
        return desk

    return make


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()
