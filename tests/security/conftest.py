"""A small but complete platform for security tests: the five services in-process, one
case seeded through the real routes and handlers, owned by BANK-A and held by collector A."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.auth.principal import Principal, Role
from shared.devtools.postgres import LocalPostgres
from shared.events import new_event
from shared.events.catalog import CaseAssigned, CaseImported, Debt, Person, Phone

from .kit import StaffKeys, staff

SERVICE_NAMES = ("intake", "assignment", "contact", "letters", "reporting")
PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    ("POST", "/auth/token"),
    ("GET", "/events/asyncapi.json"),
    ("GET", "/events/schemas"),
    ("GET", "/events/schemas/{event_type}"),
    ("GET", "/dashboard"),  # the page only: its figures come from /dashboard/data
}
DEBTOR_NAME = "欧阳锋"
DEBTOR_PHONE = "13912345678"
DEBTOR_ID = "110101199003071233"  # a valid check digit (GB 11643)


def _factory(name: str) -> tuple[type, Callable[..., FastAPI]]:
    module = __import__(f"services.{name}.main", fromlist=["create_app"])
    settings_module = __import__(f"services.{name}.settings", fromlist=["x"])
    settings_cls = next(
        v
        for k, v in vars(settings_module).items()
        if k.endswith("Settings") and k != "ServiceSettings"
    )
    return settings_cls, module.create_app


@dataclass
class World:
    keys: StaffKeys
    clients: dict[str, TestClient] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    collector_a: Principal | None = None
    bank_a_key: str = ""
    bank_b_key: str = ""

    @property
    def markers(self) -> list[str]:
        return [
            self.params["case_id"],
            self.params["client_id"],
            self.params["account_ref"],
            DEBTOR_NAME,
            DEBTOR_PHONE,
            DEBTOR_ID,
        ]


def _database(label: str, folder: Path, postgres: LocalPostgres | None) -> str:
    if postgres is None:
        return f"sqlite:///{folder / label}.db"
    return postgres.create_database(f"walk_{label}_{uuid.uuid4().hex[:6]}")


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("walk")
    keys = StaffKeys(folder / "keys")
    world = World(keys=keys)
    entered: list[TestClient] = []
    try:
        for name in SERVICE_NAMES:
            settings_cls, create_app = _factory(name)
            settings = settings_cls(
                database_url=_database(name, folder, local_postgres),
                data_dir=folder / name,
                auth_key_dir=keys.key_dir,
                kafka_bootstrap_servers="127.0.0.1:1",
            )
            client = TestClient(create_app(settings))
            client.__enter__()
            entered.append(client)
            world.clients[name] = client
        _wait_for_schemas(world)
        _seed(world)
        yield world
    finally:
        for client in entered:
            client.__exit__(None, None, None)


def _wait_for_schemas(world: World) -> None:
    deadline = time.monotonic() + 30
    for client in world.clients.values():
        while not client.app.state.runtime.migrated:
            assert time.monotonic() < deadline, "migrations did not finish"
            time.sleep(0.05)


def admin_headers(world: World) -> dict[str, str]:
    return world.keys.headers(staff("admin-1", Role.ADMIN))


def _seed(world: World) -> None:
    admin = admin_headers(world)
    intake = world.clients["intake"]
    for client_id in ("BANK-A", "BANK-B"):
        made = intake.post(
            "/clients", json={"id": client_id, "name": f"{client_id} bank"}, headers=admin
        )
        assert made.status_code == 201, made.text
    key_a = intake.post("/clients/BANK-A/api-keys", json={"label": "walk"}, headers=admin)
    key_b = intake.post("/clients/BANK-B/api-keys", json={"label": "walk"}, headers=admin)
    assert key_a.status_code == key_b.status_code == 201, key_a.text
    world.bank_a_key, world.bank_b_key = key_a.json()["key"], key_b.json()["key"]
    content = (
        f"卡号,姓名,欠款总额,手机号,证件号码\nA-1,{DEBTOR_NAME},100.00,{DEBTOR_PHONE},{DEBTOR_ID}\n"
    )
    posted = intake.post(
        "/clients/BANK-A/case-files",
        headers={"X-API-Key": world.bank_a_key},
        files={"file": ("a.csv", content.encode(), "text/csv")},
    )
    assert posted.status_code == 201, posted.text
    case = intake.get("/clients/BANK-A/cases/A-1", headers={"X-API-Key": world.bank_a_key})
    case_id = case.json()["id"]

    assignment = world.clients["assignment"]
    member = assignment.post(
        "/staff",
        headers=admin,
        json={
            "username": "collector.a",
            "name": "甲",
            "role": "phone_collector",
            "password": "a-long-password",
            "team_id": "T1",
            "branch_id": "B1",
        },
    )
    assert member.status_code == 201, member.text
    collector_id = member.json()["id"]
    world.collector_a = staff(collector_id, Role.PHONE_COLLECTOR, "T1", "B1")

    now = datetime.now(UTC)
    imported = new_event(
        CaseImported(
            client_id="BANK-A",
            batch_id=posted.json()["id"],
            account_ref="A-1",
            debtor=Person(
                name=DEBTOR_NAME, id_number=DEBTOR_ID, phones=(Phone(number=DEBTOR_PHONE),)
            ),
            debt=Debt(total_owed=Decimal("100.00")),
            received_at=now,
        ),
        occurred_at=now,
        case_id=case_id,
    )
    assigned = new_event(
        CaseAssigned(
            client_id="BANK-A",
            collector_id=collector_id,
            team_id="T1",
            branch_id="B1",
            assigned_at=now,
        ),
        occurred_at=now,
        case_id=case_id,
    )
    for name in ("assignment", "contact", "letters", "reporting"):
        # Assignment assigns the case itself (collector A is its only phone collector) and
        # does not consume its own CaseAssigned; the others take both events.
        outcome = world.clients[name].app.state.runtime.dispatch([imported, assigned])
        expected = 1 if name == "assignment" else 2
        assert outcome.handled_count == expected and not outcome.rejected, outcome

    world.params.update(
        case_id=case_id,
        client_id="BANK-A",
        account_ref="A-1",
        batch_id=posted.json()["id"],
        key_id=key_a.json()["id"],
        event_type="CaseImported",
        staff_id=collector_id,
    )
