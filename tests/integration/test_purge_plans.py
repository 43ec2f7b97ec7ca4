"""Each service's purge plan on its real database (SQLite, and PostgreSQL under
TEST_POSTGRES): its step upgrades an older database, its dry run and its removal run, and
a re-delivered or repeated order does nothing twice."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect, text

from shared.db import Database, migrate
from shared.events import new_event
from shared.events.catalog import ClientPurgeOrdered
from shared.purge import plan as engine
from shared.runtime import Runtime
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported

SERVICES = ["intake", "assignment", "contact", "letters", "reporting"]


@pytest.mark.parametrize("service", SERVICES)
def test_the_purge_step_upgrades_a_database_from_before_it(service: str, database_url: str) -> None:
    steps = __import__(f"services.{service}.migrations", fromlist=["MIGRATIONS"]).MIGRATIONS
    step = next(m.version for m in steps if m.name.startswith("the 5-year purge"))
    db = Database(database_url)
    try:
        migrate(db, steps)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE purge_runs"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": step})
        assert migrate(db, steps) == [step]
        assert "purge_runs" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


@pytest.mark.parametrize("service", SERVICES)
def test_every_rule_runs_on_the_services_own_tables(
    service: str, service_runtime: Callable[[str], Runtime]
) -> None:
    """Every table and column a plan names exists and can be blanked (a typo fails here,
    not in the first real purge five years on)."""
    runtime = service_runtime(service)
    plan = runtime.parts.purge
    assert plan is not None
    with runtime.db.transaction() as session:
        counts = engine.preview(session, plan, runtime.settings, "NOBODY")
        removed = engine.apply(session, plan, runtime.settings, "NOBODY")
    assert set(counts) == set(removed)
    assert set(counts.values()) | set(removed.values()) == {0}


def _order(client_id: str, purge_id: str) -> ClientPurgeOrdered:
    return ClientPurgeOrdered(
        purge_id=purge_id,
        client_id=client_id,
        retention_until=date(2026, 1, 31),
        ordered_by="admin-1",
        reason="retention ended",
        ordered_at=FIXED_NOW,
    )


def test_contact_obeys_an_order_once_and_keeps_other_clients(
    service_runtime: Callable[[str], Runtime],
) -> None:
    runtime = service_runtime("contact")
    at = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    gone = case_imported(at, client_id="OLD-BANK", phones=("13800138000",), contacts=("李四",))
    kept = case_imported(at, client_id="NEW-BANK", phones=("13900139000",))
    runtime.dispatch([gone, kept])
    purge_id = str(uuid.uuid4())
    order = new_event(_order("OLD-BANK", purge_id), occurred_at=FIXED_NOW, case_id="OLD-BANK")
    with runtime.db.reader() as session:
        plan = runtime.parts.purge
        assert plan is not None
        before = engine.preview(session, plan, runtime.settings, "OLD-BANK")
    assert before["contact_details (deleted)"] == 1  # the debtor's phone

    first = runtime.dispatch([order])
    again = runtime.dispatch([order])  # the same event re-delivered: the inbox has it
    repeated = runtime.dispatch(  # the same purge ordered in a new event: the run has it
        [new_event(_order("OLD-BANK", purge_id), occurred_at=FIXED_NOW, case_id="OLD-BANK")]
    )
    assert first.handled_count == 1 and again.duplicates == 1
    assert repeated.handled_count == 1

    with runtime.db.engine.connect() as conn:
        details = conn.execute(
            text("SELECT case_id, value FROM contact_details ORDER BY case_id")
        ).all()
        runs = conn.execute(text("SELECT purge_id, removed FROM purge_runs")).all()
        audited = conn.execute(
            text("SELECT count(*) FROM audit_log WHERE action = 'purge'")
        ).scalar_one()
    assert {d.case_id for d in details} == {kept.case_id}
    assert "13900139000" in {d.value for d in details}
    assert [r.purge_id for r in runs] == [purge_id]
    assert (
        json.loads(runs[0].removed)["contact_details (deleted)"]
        == before["contact_details (deleted)"]
    )
    assert audited == 1
