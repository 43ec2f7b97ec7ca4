"""The contact service in-process on a clock the test moves, staff tokens, and a case
seeded through the real handlers (imported, then assigned to collector A in team T1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.contact.main import create_app
from services.contact.settings import ContactSettings
from shared.auth.principal import Role
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.events_kit import case_assigned, case_imported
from tests.security.kit import StaffKeys, staff
from tests.service_desk import COLLECTOR_A, Desk, MovingClock, service_app

COLLECTOR_B = staff("collector-b", Role.PHONE_COLLECTOR, "T2", "B1")
LEAD_T1 = staff("lead-1", Role.TEAM_LEAD, "T1", "B1")
SUPERVISOR_T1 = staff("super-1", Role.SUPERVISOR, "T1", "B1")
HQ = staff("hq-1", Role.HQ)
ADMIN = staff("admin-1", Role.ADMIN)


@pytest.fixture
def make_desk(databases: DatabaseFactory, tmp_path: Path) -> Callable[..., Desk]:
    def make(**settings: Any) -> Desk:
        keys = StaffKeys(tmp_path / "keys")
        clock = MovingClock()
        app = service_app(
            create_app, ContactSettings, "contact", databases, tmp_path, keys, clock, **settings
        )
        desk = Desk(client=TestClient(app), runtime=app.state.runtime, clock=clock, keys=keys)
        imported = case_imported(FIXED_NOW - timedelta(hours=1), contacts=("李四",))
        desk.case_id = imported.case_id
        desk.dispatch(imported, case_assigned(FIXED_NOW, desk.case_id, COLLECTOR_A.subject))
        return desk

    return make


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()
