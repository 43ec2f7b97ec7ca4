"""Reporting in-process: a fixed clock, staff and bank tokens, the October scenario fed
through the real handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.reporting.main import create_app
from services.reporting.settings import ReportingSettings
from shared.auth.principal import Principal, Role
from shared.runtime import Runtime
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.reporting.scenario import Scenario, october
from tests.security.kit import StaffKeys, staff
from tests.service_desk import service_app

__all__ = ["staff"]

HQ = staff("hq-1", Role.HQ)
ADMIN = staff("admin-1", Role.ADMIN)
C1 = staff("c-1", Role.PHONE_COLLECTOR, "T1", "B1")
C3 = staff("c-3", Role.PHONE_COLLECTOR, "T2", "B1")
SUPERVISOR_T1 = staff("s-1", Role.SUPERVISOR, "T1", "B1")
MANAGER_B1 = staff("m-1", Role.BRANCH_MANAGER, None, "B1")
MANAGER_B2 = staff("m-2", Role.BRANCH_MANAGER, None, "B2")
BANK_A = Principal(subject="key-a", kind="bank", client_id="BANK-A")
BANK_B = Principal(subject="key-b", kind="bank", client_id="BANK-B")


@dataclass
class Desk:
    client: TestClient
    runtime: Runtime
    keys: StaffKeys
    scenario: Scenario

    def get(self, path: str, who: Principal = HQ, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.keys.headers(who))

    def json(self, path: str, who: Principal = HQ, **params: Any) -> Any:
        answer = self.get(path, who, **params)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def make_desk(databases: DatabaseFactory, tmp_path: Path) -> Callable[..., Desk]:
    def make(scenario: Scenario | None = None) -> Desk:
        keys = StaffKeys(tmp_path / "keys")
        app = service_app(
            create_app, ReportingSettings, "reporting", databases, tmp_path, keys, lambda: FIXED_NOW
        )
        runtime: Runtime = app.state.runtime
        scenario = scenario or october()
        outcome = runtime.dispatch(scenario.events)
        assert not outcome.rejected, outcome.rejected
        return Desk(TestClient(app), runtime, keys, scenario)

    return make


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()
