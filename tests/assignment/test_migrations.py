"""Databases made before step 3 upgrade in place: assignment gains closure, balances (its
known cases backfilled), the blacklist, costs and revoked bank keys; every other service
that verifies bank tokens gains its revoked-key table."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select, text

from services.assignment.closing.models import CaseBalance
from services.assignment.migrations import MIGRATIONS
from shared.db import Database, migrate
from tests.conftest import DatabaseFactory

STEP_3_TABLES = ("revoked_bank_keys", "case_balances", "blacklist", "case_costs")
CLOSURE = ("closed_at", "close_outcome", "close_reason")


def test_an_assignment_database_from_before_step_3_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS)[:3] == [1, 2, 3]
        with db.engine.begin() as conn:
            for table in STEP_3_TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            for column in CLOSURE:
                conn.execute(text(f"ALTER TABLE cases DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 3"))
            # 812.30 as whole fen: today's step 1 made the amount column as Money stores it
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, imported_at, amount, due_estimated) "
                    "VALUES ('c-1', 'BANK-A', '2026-11-01 00:00:00+00:00', 81230, false)"
                )
            )
        assert migrate(db, MIGRATIONS) == [3]
        assert set(STEP_3_TABLES) <= set(inspect(db.engine).get_table_names())
        assert set(CLOSURE) <= {c["name"] for c in inspect(db.engine).get_columns("cases")}
        with db.engine.connect() as conn:
            b = CaseBalance.__table__.c
            row = conn.execute(select(b.case_id, b.owed, b.paid)).one()
        assert tuple(row) == ("c-1", Decimal("812.30"), Decimal("0.00"))
    finally:
        db.dispose()


@pytest.mark.parametrize("service", ["intake", "contact", "letters", "reporting"])
def test_every_service_gains_its_revoked_key_table(
    databases: DatabaseFactory, service: str
) -> None:
    steps = importlib.import_module(f"services.{service}.migrations").MIGRATIONS
    [revoking] = [m for m in steps if "revoked bank keys" in m.name]
    db = Database(databases.new(service))
    try:
        migrate(db, [m for m in steps if m is not revoking])
        assert "revoked_bank_keys" not in inspect(db.engine).get_table_names()
        assert migrate(db, steps) == [revoking.version]
        assert "revoked_bank_keys" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()
