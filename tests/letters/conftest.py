"""The letters service in-process on a clock the test moves, staff and bank tokens, a client
letterhead set by an admin, and a case seeded through the real handlers (imported with a
guarantor, then assigned to collector A in team T1)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.letters.main import create_app
from services.letters.settings import LettersSettings
from shared.auth.principal import Principal, Role
from tests import service_desk
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.events_kit import case_assigned, case_imported
from tests.security.kit import StaffKeys, staff
from tests.service_desk import COLLECTOR_A, MovingClock, service_app

COLLECTOR_B = staff("collector-b", Role.PHONE_COLLECTOR, "T2", "B1")
SUPERVISOR_T1 = staff("super-1", Role.SUPERVISOR, "T1", "B1")
ADMIN = staff("admin-1", Role.ADMIN)
BANK_A = Principal(subject="bank-a", kind="bank", client_id="BANK-A")
BANK_B = Principal(subject="bank-b", kind="bank", client_id="BANK-B")
OVERDUE_SINCE = date(2026, 11, 10)
LETTERHEAD = {
    "name": "甲银行信用卡中心",
    "address": "上海市示例路 1 号",
    "phone": "021-5555 0100",
    "dispute_phone": "400-555-0199",
}


class Desk(service_desk.Desk):
    """The shared desk, plus issuing a letter on its case."""

    def issue(self, kind: str = "overdue_notice", **body: Any) -> dict[str, Any]:
        made = self.post("/letters", {"kind": kind, **body})
        assert made.status_code == 201, made.text
        return made.json()


def new_case(desk: Desk, **facts: Any) -> str:
    imported = case_imported(
        FIXED_NOW - timedelta(days=13),
        overdue_since=OVERDUE_SINCE,
        guarantors=("李保证",),
        home_address="上海市示例路 8 号",
        **facts,
    )
    desk.dispatch(imported, case_assigned(FIXED_NOW, imported.case_id, COLLECTOR_A.subject))
    return imported.case_id


@pytest.fixture
def make_desk(databases: DatabaseFactory, tmp_path: Path) -> Callable[..., Desk]:
    def make(*, letterhead: bool = True, **settings: Any) -> Desk:
        keys = StaffKeys(tmp_path / "keys")
        clock = MovingClock()
        app = service_app(
            create_app, LettersSettings, "letters", databases, tmp_path, keys, clock, **settings
        )
        desk = Desk(client=TestClient(app), runtime=app.state.runtime, clock=clock, keys=keys)
        desk.case_id = new_case(desk)
        if letterhead:
            put = desk.client.put(
                "/clients/BANK-A/letterhead", json=LETTERHEAD, headers=desk.as_(ADMIN)
            )
            assert put.status_code == 200, put.text
        return desk

    return make


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()
