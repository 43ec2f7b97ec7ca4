"""One service in-process for its route tests: the app on a clock the test moves (or a
fixed one), migrated, with staff and bank tokens, and a desk that calls it as somebody,
feeds it events through its real handlers and reads what it put in its outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.db import migrate
from shared.events import Envelope, decode
from shared.runtime import Runtime
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.security.kit import StaffKeys, staff

COLLECTOR_A = staff("collector-a", Role.PHONE_COLLECTOR, "T1", "B1")


@dataclass
class MovingClock:
    now: datetime = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def service_app(
    create_app: Callable[..., FastAPI],
    settings_class: type[Any],
    service: str,
    databases: DatabaseFactory,
    tmp_path: Path,
    keys: StaffKeys,
    clock: Callable[[], datetime],
    **settings: Any,
) -> FastAPI:
    """The service's app on a fresh database, migrated, with no broker behind it."""
    app = create_app(
        settings_class(
            environment="test",
            database_url=databases.new(service),
            data_dir=tmp_path / service,
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
    return app


@dataclass
class Desk:
    """Calls about one case (``/cases/{case_id}…``), by default as collector A."""

    client: TestClient
    runtime: Runtime
    clock: MovingClock
    keys: StaffKeys
    case_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_(self, principal: Principal) -> dict[str, str]:
        return self.keys.headers(principal)

    def post(self, path: str, body: Any, who: Principal = COLLECTOR_A, **kw: Any) -> Any:
        return self.client.post(
            f"/cases/{self.case_id}{path}", json=body, headers=self.as_(who), **kw
        )

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
