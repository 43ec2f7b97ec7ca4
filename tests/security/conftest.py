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
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.auth.principal import Principal, Role
from shared.devtools.postgres import LocalPostgres
from shared.events import decode, new_event
from shared.events.catalog import (
    CaseAssigned,
    CaseImported,
    Debt,
    Person,
    Phone,
)

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
AGREEMENT = {
    "number": "HT-2026-001",
    "status": "active",
    "start_date": "2026-01-01",
    "end_date": "2027-12-31",
    "product_types": ["credit_card"],
    "commission": {"rate": "0.18"},
    "reconciliation_day": 25,
    "recovery_target": "23000000.00",
    "regular_channel": {"contact_person": "王敏", "phone": "021-12345678", "email": "a@bank.cn"},
    "emergency_channel": {"contact_person": "李强", "phone": "13900139000", "email": "e@bank.cn"},
}


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
    bank_tokens: dict[str, str] = field(default_factory=dict)
    staff_ids: dict[str, str] = field(default_factory=dict)

    def bank(self, name: str) -> dict[str, str]:
        """Bearer headers of a bank token: ``own`` (BANK-A), ``other`` (BANK-B) or
        ``revoked`` (BANK-A, its API key revoked since)."""
        return {"Authorization": f"Bearer {self.bank_tokens[name]}"}

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

    _bank_tokens(world, intake)
    world.params.update(
        case_id=case_id,
        client_id="BANK-A",
        account_ref="A-1",
        batch_id=posted.json()["id"],
        key_id=key_a.json()["id"],
        event_type="CaseImported",
        staff_id=collector_id,
    )
    ordered = _seed_team_one(world, case_id)
    _seed_contact(world, case_id, ordered)
    _seed_letters_and_reports(world, case_id)


def _exchange(intake: TestClient, api_key: str) -> str:
    answer = intake.post("/auth/bank-token", headers={"X-API-Key": api_key})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def _bank_tokens(world: World, intake: TestClient) -> None:
    """Tokens for BANK-A and BANK-B, and one for a BANK-A key revoked since; the
    revocation reaches the other services as intake's ``BankAccessRevoked``."""
    admin = admin_headers(world)
    spare = intake.post("/clients/BANK-A/api-keys", json={"label": "to revoke"}, headers=admin)
    assert spare.status_code == 201, spare.text
    world.bank_tokens = {
        "own": _exchange(intake, world.bank_a_key),
        "other": _exchange(intake, world.bank_b_key),
        "revoked": _exchange(intake, spare.json()["key"]),
    }
    gone = intake.delete(f"/clients/BANK-A/api-keys/{spare.json()['id']}", headers=admin)
    assert gone.status_code == 204, gone.text
    runtime = intake.app.state.runtime
    with runtime.db.reader() as session:
        bodies = session.execute(
            select(runtime.parts.tables.outbox.c.body).where(
                runtime.parts.tables.outbox.c.event_type == "BankAccessRevoked"
            )
        ).scalars()
        revoked = [decode(body) for body in bodies]
    assert [e.payload.key_id for e in revoked] == [spare.json()["id"]]
    for name in ("assignment", "contact", "letters", "reporting"):
        outcome = world.clients[name].app.state.runtime.dispatch(revoked)
        assert outcome.handled_count == 1 and not outcome.rejected, outcome


def _made(answer: Any) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json()) if isinstance(answer.json(), dict) else {"items": answer.json()}


def _seed_team_one(world: World, case_id: str) -> Any:
    """Team 1 (collector A's) and team 2 with their real supervisors and lead, a rule that
    routes BANK-A to team 1, an agreement, an approval asked on the case and a visit
    order for team 1's field collector: the objects the write walk tries to change."""
    assert world.collector_a is not None
    admin = admin_headers(world)
    assignment, holder = world.clients["assignment"], world.keys.headers(world.collector_a)

    def member(username: str, role: Role, team: str, branch: str) -> str:
        body = {"username": username, "name": username, "role": role.value, "team_id": team}
        body |= {"password": "a-long-password", "branch_id": branch}
        return str(_made(assignment.post("/staff", json=body, headers=admin))["id"])

    sup_one = member("sup.one", Role.SUPERVISOR, "T1", "B1")
    sup_two = member("sup.two", Role.SUPERVISOR, "T2", "B2")
    lead_two = member("lead.two", Role.TEAM_LEAD, "T2", "B2")
    field_a = member("field.a", Role.FIELD_COLLECTOR, "T1", "B1")
    field_b = member("field.b", Role.FIELD_COLLECTOR, "T2", "B2")
    for team, sup, lead, branch in (("T1", sup_one, None, "B1"), ("T2", sup_two, lead_two, "B2")):
        body = {"id": team, "name": team, "supervisor_id": sup, "lead_id": lead}
        _made(assignment.post("/teams", json={**body, "branch_id": branch}, headers=admin))
    world.staff_ids.update(sup_two=sup_two, lead_two=lead_two, field_b=field_b, field_a=field_a)
    rule = {"name": "BANK-A to team 1", "team_id": "T1", "client_id": "BANK-A"}
    rule_id = _made(assignment.post("/rules", json=rule, headers=admin))["id"]
    asked = {"kind": "waiver", "reason": "walk", "amount": "1.00"}
    approval = _made(assignment.post(f"/cases/{case_id}/approvals", json=asked, headers=holder))
    visits = {"field_collector_id": field_a, "visits": [{"case_id": case_id, "purpose": "walk"}]}
    (visit,) = _made(assignment.post("/field-visits", json=visits, headers=holder))["items"]
    agreement = _made(
        world.clients["intake"].post("/clients/BANK-A/agreements", json=AGREEMENT, headers=admin)
    )
    world.params.update(
        rule_id=rule_id,
        approval_id=approval["id"],
        visit_id=visit["id"],
        team_id="T1",
        agreement_id=agreement["id"],
        product_type="credit_card",
    )
    runtime = assignment.app.state.runtime
    with runtime.db.reader() as session:
        body = session.execute(
            select(runtime.parts.tables.outbox.c.body).where(
                runtime.parts.tables.outbox.c.event_type == "FieldVisitOrdered"
            )
        ).scalar_one()
    return decode(body)


def _seed_letters_and_reports(world: World, case_id: str) -> None:
    """A letter on the case (BANK-A's letterhead set) and collector A's weekly report."""
    assert world.collector_a is not None
    holder = world.keys.headers(world.collector_a)
    letters = world.clients["letters"]
    head = {"name": "甲银行", "address": "上海", "phone": "021-1", "dispute_phone": "400-1"}
    _made(letters.put("/clients/BANK-A/letterhead", json=head, headers=admin_headers(world)))
    letter = _made(
        letters.post(f"/cases/{case_id}/letters", json={"kind": "overdue_notice"}, headers=holder)
    )
    report = {"report": "collector_weekly", "on": datetime.now(UTC).date().isoformat()}
    submitted = world.clients["reporting"].post("/reports/submissions", json=report, headers=holder)
    world.params.update(letter_id=letter["id"], submission_id=_made(submitted)["submission_id"])


def _seed_contact(world: World, case_id: str, ordered: Any) -> None:
    """Real objects behind contact's object routes: a recording, a dispute, the visit order
    assignment made (for team 1's field collector) and the debtor's phone as a contact
    detail."""
    assert world.collector_a is not None
    now = datetime.now(UTC)
    contact = world.clients["contact"]
    holder = world.keys.headers(world.collector_a)
    wav = b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(64)
    kept = contact.post(
        f"/cases/{case_id}/recordings", files={"file": ("a.wav", wav)}, headers=holder
    )
    assert kept.status_code == 201, kept.text
    disputed = contact.post(
        f"/cases/{case_id}/attempts",
        headers=holder,
        json={
            "channel": "phone",
            "direction": "inbound",  # the debtor calls: no quiet hours, whatever the time
            "party": "debtor",
            "started_at": now.isoformat(),
            "outcome": "dispute",
            "dispute_reason": "not my card",
            "late_reason": "walk",
        },
    )
    assert disputed.status_code == 201, disputed.text
    (dispute,) = contact.get(f"/cases/{case_id}/disputes", headers=holder).json()
    (detail,) = [
        d
        for d in contact.get(f"/cases/{case_id}/contact-details", headers=holder).json()
        if d["value"] == DEBTOR_PHONE
    ]
    assert contact.app.state.runtime.dispatch([ordered]).handled_count == 1
    world.params.update(
        sha256=kept.json()["sha256"], dispute_id=dispute["id"], detail_id=detail["id"]
    )
