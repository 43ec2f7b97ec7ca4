"""Every route of every service, called by the wrong people, gives them nothing.

The routes come from each service's own OpenAPI document, so a route added later is
walked without this file changing. Each is called unauthenticated, as a collector who
does not hold the case, and as a bank that does not own it. None of them may get a
success or any trace of the seeded case. The right caller, for contrast, does.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.auth.principal import Principal, Role
from shared.devtools.postgres import LocalPostgres
from shared.events import encode, new_event, topic_for
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
}
DEBTOR_NAME = "欧阳锋"
DEBTOR_PHONE = "13912345678"
DEBTOR_ID = "110101199003071234"


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
    import time

    deadline = time.monotonic() + 30
    for client in world.clients.values():
        while not client.app.state.runtime.migrated:
            assert time.monotonic() < deadline, "migrations did not finish"
            time.sleep(0.05)


def _admin(world: World) -> dict[str, str]:
    return world.keys.headers(staff("admin-1", Role.ADMIN))


def _seed(world: World) -> None:
    admin = _admin(world)
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
        consumer = world.clients[name].app.state.runtime.consumer
        for event in (imported, assigned):
            if event.type in consumer.handlers:
                record = SimpleNamespace(value=encode(event), topic=topic_for(event.producer))
                outcome, _ = consumer._handle(record)
                assert outcome == "handled"

    world.params.update(
        case_id=case_id,
        client_id="BANK-A",
        account_ref="A-1",
        batch_id=posted.json()["id"],
        key_id=key_a.json()["id"],
        event_type="CaseImported",
        staff_id=collector_id,
    )


def _routes(world: World) -> list[tuple[str, str, str]]:
    found = []
    for name, client in world.clients.items():
        for path, operations in client.app.openapi()["paths"].items():
            for method in operations:
                found.append((name, method.upper(), path))
    return found


def _fill(world: World, path: str) -> str:
    filled = path
    for key, value in world.params.items():
        filled = filled.replace("{" + key + "}", value)
    while "{" in filled:
        start, end = filled.index("{"), filled.index("}")
        filled = filled[:start] + "unknown-value" + filled[end + 1 :]
    return filled


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    return client.request(method, path, **kwargs)


def _leaks(world: World, response: Any) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        if isinstance(body, dict):
            body.pop("instance", None)  # a problem document echoes the path asked for
        text = json.dumps(body, ensure_ascii=False)
    return [m for m in world.markers if m in text]


def _walk(
    world: World, caller: str, headers: Callable[[str], dict[str, str]], *, signed_in: bool
) -> list[str]:
    """Failures: any trace of the seeded case; any success on a route naming an object;
    and, for a caller who is not signed in at all, any success whatsoever."""
    failures = []
    for service, method, path in _routes(world):
        if (method, path) in PUBLIC_ROUTES:
            continue
        response = _call(world.clients[service], method, _fill(world, path), headers(service))
        succeeded_wrongly = response.is_success and (not signed_in or "{" in path)
        if succeeded_wrongly or _leaks(world, response):
            failures.append(
                f"{caller}: {service} {method} {path} -> {response.status_code} "
                f"{_leaks(world, response)}"
            )
    return failures


def test_the_walk_covers_every_service_and_the_seed_is_real(world: World) -> None:
    routes = _routes(world)
    assert {s for s, _, _ in routes} == set(SERVICE_NAMES)
    assert world.collector_a is not None
    holder = world.keys.headers(world.collector_a)
    for service in ("assignment", "contact", "letters"):
        answer = world.clients[service].get(f"/cases/{world.params['case_id']}", headers=holder)
        assert answer.status_code == 200, f"{service}: {answer.text}"
    own = world.clients["intake"].get(
        "/clients/BANK-A/cases/A-1", headers={"X-API-Key": world.bank_a_key}
    )
    assert own.status_code == 200 and DEBTOR_NAME in own.text


def test_only_the_known_routes_are_public(world: World) -> None:
    anonymous_successes = {
        (method, path)
        for service, method, path in _routes(world)
        if _call(world.clients[service], method, _fill(world, path), {}).is_success
    }
    assert anonymous_successes <= PUBLIC_ROUTES


def test_unauthenticated_callers_get_nothing(world: World) -> None:
    assert _walk(world, "anonymous", lambda _s: {}, signed_in=False) == []


def test_a_collector_who_does_not_hold_the_case_gets_nothing(world: World) -> None:
    outsider = staff("collector-b", Role.PHONE_COLLECTOR, "T2", "B2")
    headers = world.keys.headers(outsider)
    assert _walk(world, "wrong collector", lambda _s: headers, signed_in=True) == []


def test_a_bank_that_does_not_own_the_case_gets_nothing(world: World) -> None:
    wrong_bank = {"X-API-Key": world.bank_b_key}
    assert _walk(world, "wrong bank", lambda _s: wrong_bank, signed_in=True) == []


def test_an_expired_or_forged_token_gets_nothing(world: World) -> None:
    from datetime import timedelta

    expired = world.keys.token(staff("admin-1", Role.ADMIN), ttl=timedelta(seconds=-60))
    forged = world.keys.token(staff("admin-1", Role.ADMIN))[:-4] + "AAAA"
    for token in (expired, forged):
        bad = {"Authorization": f"Bearer {token}"}
        assert _walk(world, "bad token", lambda _s, h=bad: h, signed_in=False) == []
