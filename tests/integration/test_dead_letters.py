"""Dead letters kept by the consuming service and handled by admins: a handler bug
dead-letters an event; after the fix is deployed (a setting flips) a replay applies it
exactly once; a letter nobody will replay is discarded with a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlmodel import Field

from shared.auth.principal import Role
from shared.auth.tables import security_tables
from shared.bus.apply import BatchApplier, Delivery
from shared.bus.tables import bus_tables
from shared.bus.work import UnitOfWork
from shared.db import Database, Migration, create_tables, migrate, service_model_base
from shared.events import Envelope, encode
from shared.events.catalog import CaseAssigned
from shared.runtime import ServiceParts
from shared.settings import ServiceSettings
from shared.web.app import build_service_app
from tests.conftest import DatabaseFactory
from tests.integration.bus_kit import assigned_event
from tests.security.kit import StaffKeys, staff

KitTable = service_model_base("DeadLetterKit")
BUS = bus_tables(KitTable.metadata)
SECURITY = security_tables(KitTable.metadata)


class Applied(KitTable, table=True):
    __tablename__ = "applied"

    case_id: str = Field(primary_key=True)
    times: int = 0


MIGRATIONS = [
    Migration(
        1,
        "kit",
        create_tables(KitTable.metadata, *(t.name for t in KitTable.metadata.sorted_tables)),
    )
]
ADMIN = staff("admin-1", Role.ADMIN)
COLLECTOR = staff("c-1", Role.PHONE_COLLECTOR, "T1", "B1")


class KitSettings(ServiceSettings):
    service_name: str = "dlkit"
    fix_deployed: bool = False


def _handlers(settings: KitSettings) -> dict[type, tuple[Callable[..., None], ...]]:
    def on_assigned(uow: UnitOfWork, event: Envelope[Any]) -> None:
        if event.payload.client_id == "needs-fix" and not settings.fix_deployed:
            raise KeyError("collector team not found")  # the bug
        row = uow.session.get(Applied, event.case_id) or Applied(case_id=event.case_id)
        row.times += 1
        uow.session.add(row)

    return {CaseAssigned: (on_assigned,)}


@pytest.fixture
def deploy(databases: DatabaseFactory, tmp_path: Path) -> Callable[..., FastAPI]:
    """The kit service as deployed with the given setting, always on the same database."""
    url = databases.new("dlkit")
    keys = StaffKeys(tmp_path / "keys")

    def make(fix_deployed: bool) -> FastAPI:
        settings = KitSettings(
            environment="test",
            database_url=url,
            data_dir=tmp_path / "dlkit",
            auth_key_dir=keys.key_dir,
            kafka_bootstrap_servers="127.0.0.1:1",
            log_json=False,
            log_level="WARNING",
            fix_deployed=fix_deployed,
        )
        parts = ServiceParts(
            settings=settings,
            metadata=KitTable.metadata,
            tables=BUS,
            security=SECURITY,
            migrations=MIGRATIONS,
            handlers=_handlers(settings),
        )
        app = build_service_app(parts, title="kit", description="kit", routers=[])
        migrate(app.state.runtime.db, MIGRATIONS)
        app.state.keys = keys
        return app

    return make


def _as(app: FastAPI, who: Any) -> dict[str, str]:
    return app.state.keys.headers(who)


def _times(app: FastAPI, case_id: str) -> int:
    with app.state.runtime.db.reader() as session:
        row = session.get(Applied, case_id)
        return 0 if row is None else row.times


def _gauge() -> float | None:
    return REGISTRY.get_sample_value("dead_letters_waiting", {"service": "dlkit"})


def test_a_bug_dead_letters_an_event_and_after_the_fix_a_replay_applies_it_once(
    deploy: Callable[..., FastAPI],
) -> None:
    buggy = deploy(fix_deployed=False)
    good, bad = assigned_event(), assigned_event(client_id="needs-fix")
    outcome = buggy.state.runtime.dispatch([good, bad])
    assert len(outcome.rejected) == 1 and outcome.handled_count == 1
    client = TestClient(buggy)

    assert client.get("/admin/dead-letters", headers=_as(buggy, COLLECTOR)).status_code == 403
    listed = client.get("/admin/dead-letters", headers=_as(buggy, ADMIN)).json()
    (letter,) = listed["items"]
    assert listed["waiting"] == 1 and _gauge() == 1
    assert letter["event_id"] == str(bad.event_id) and letter["event_type"] == "CaseAssigned"
    assert letter["topic"] == "assignment.events" and letter["offset"] == 1
    assert "collector team not found" in letter["error"] and letter["status"] == "waiting"

    still = client.post(f"/admin/dead-letters/{letter['id']}/replay", headers=_as(buggy, ADMIN))
    assert still.status_code == 409 and "failed again" in still.json()["detail"]
    assert _times(buggy, bad.case_id) == 0

    fixed = deploy(fix_deployed=True)
    client = TestClient(fixed)
    replay = client.post(f"/admin/dead-letters/{letter['id']}/replay", headers=_as(fixed, ADMIN))
    assert replay.status_code == 200, replay.text
    body = replay.json()
    assert body["applied"] is True and body["dead_letter"]["status"] == "replayed"
    assert body["dead_letter"]["resolved_by"] == "admin-1" and body["dead_letter"]["replays"] == 2
    assert _times(fixed, bad.case_id) == 1 and _gauge() == 0

    again = client.post(f"/admin/dead-letters/{letter['id']}/replay", headers=_as(fixed, ADMIN))
    assert again.status_code == 200 and again.json()["applied"] is False
    assert _times(fixed, bad.case_id) == 1, "the inbox makes a second replay a duplicate"
    assert _times(fixed, good.case_id) == 1


def test_a_dead_letter_is_discarded_with_a_reason_and_then_not_replayed(
    deploy: Callable[..., FastAPI],
) -> None:
    app = deploy(fix_deployed=False)
    events = [assigned_event(client_id="needs-fix") for _ in range(3)]
    app.state.runtime.dispatch(events)
    client = TestClient(app)
    admin = _as(app, ADMIN)
    first = client.get("/admin/dead-letters", params={"limit": 2}, headers=admin).json()
    assert len(first["items"]) == 2 and first["next_after_id"] == first["items"][1]["id"]
    rest = client.get(
        "/admin/dead-letters",
        params={"limit": 2, "after_id": first["next_after_id"]},
        headers=admin,
    ).json()
    assert [i["event_id"] for i in first["items"] + rest["items"]] == [
        str(e.event_id) for e in events
    ]
    assert rest["next_after_id"] is None
    target = first["items"][0]["id"]

    refused = client.post(f"/admin/dead-letters/{target}/discard", json={}, headers=admin)
    assert refused.status_code == 422
    done = client.post(
        f"/admin/dead-letters/{target}/discard",
        json={"reason": "the bank withdrew the case"},
        headers=admin,
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["reason"]) == (
        "discarded",
        "the bank withdrew the case",
    )
    assert client.post(f"/admin/dead-letters/{target}/replay", headers=admin).status_code == 409
    discarded = client.get("/admin/dead-letters", params={"status": "discarded"}, headers=admin)
    assert [i["id"] for i in discarded.json()["items"]] == [target]
    assert discarded.json()["waiting"] == 2
    trail = client.get("/audit", headers=admin).json()
    assert any(
        e["path"] == f"/admin/dead-letters/{target}/discard" and e["subject"] == "admin-1"
        for e in trail
    )
    assert client.post("/admin/dead-letters/999999/discard", json={"reason": "nope"},
                       headers=admin).status_code == 404  # fmt: skip


def test_a_redelivered_batch_records_its_dead_letters_once(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate(db, MIGRATIONS)
        applier = BatchApplier(db, BUS, _handlers(KitSettings()), service="dlkit")
        garbage = Delivery(value=b"not json", topic="assignment.events", offset=7)
        poison = Delivery(
            value=encode(assigned_event(client_id="needs-fix")), topic="assignment.events", offset=8
        )
        for _ in range(2):
            applier.apply([garbage, poison])
        assert BUS.dead_letters is not None
        with db.reader() as session:
            rows = session.execute(BUS.dead_letters.select().order_by("id")).all()
        assert [(r.offset, r.event_type, r.event_id is None) for r in rows] == [
            (7, "?", True),
            (8, "CaseAssigned", False),
        ]
        assert rows[0].body == b"not json"
    finally:
        db.dispose()
