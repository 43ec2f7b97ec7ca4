"""A letters database made before step 4 (cases without debtor, amounts or limitation
date; no letters) upgrades in place and keeps its cases."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.letters.migrations import MIGRATIONS, NEW_TABLES
from shared.db import Database, migrate

ADDED = (
    "account_ref", "product_type", "debtor_name", "address", "principal", "interest",
    "penalty", "fees", "last_paid_at", "limitation_ends_on",
)  # fmt: skip


def test_a_database_from_before_step_4_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS)[:4] == [1, 2, 3, 4]
        with db.engine.begin() as conn:
            for table in NEW_TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("DROP INDEX IF EXISTS ix_cases_limitation_ends_on"))
            for column in ADDED:
                conn.execute(text(f"ALTER TABLE cases DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 4"))
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, total_owed, received_at) "
                    "VALUES ('c-1', 'BANK-A', 10.5, '2026-11-01 00:00:00+00:00')"
                )
            )
        assert migrate(db, MIGRATIONS) == [4]
        inspector = inspect(db.engine)
        assert set(NEW_TABLES) <= set(inspector.get_table_names())
        assert set(ADDED) <= {c["name"] for c in inspector.get_columns("cases")}
        assert "ix_cases_limitation_ends_on" in {i["name"] for i in inspector.get_indexes("cases")}
        with db.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT client_id FROM cases WHERE id = 'c-1'")).scalar()
                == "BANK-A"
            )
    finally:
        db.dispose()


def test_a_database_from_before_step_8_gains_the_events_waiting_for_their_case(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE waiting_for_case"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 8"))
        assert migrate(db, MIGRATIONS) == [8]
        assert "waiting_for_case" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()
