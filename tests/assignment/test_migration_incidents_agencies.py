"""An assignment database from before incidents and outside agencies upgrades in place:
their tables appear, the cases are kept."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from services.assignment.migrations import MIGRATIONS
from shared.db import Database, migrate

STEPS = {"incidents and their log": ("incident_entries", "incidents"),
         "outside agencies": ("agency_placements", "agencies")}  # fmt: skip


def test_a_database_from_before_incidents_and_agencies_upgrades(database_url: str) -> None:
    db = Database(database_url)
    steps = {
        next(m.version for m in MIGRATIONS if m.name.startswith(prefix)): tables
        for prefix, tables in STEPS.items()
    }
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            for version, tables in steps.items():
                for table in tables:
                    conn.execute(text(f"DROP TABLE {table}"))
                conn.execute(
                    text("DELETE FROM schema_migrations WHERE version = :v"), {"v": version}
                )
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, imported_at, due_estimated) "
                    "VALUES ('c-1', 'BANK-A', :at, false)"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC)},
            )
        assert migrate(db, MIGRATIONS) == sorted(steps)
        names = set(inspect(db.engine).get_table_names())
        assert {t for tables in steps.values() for t in tables} <= names
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id FROM cases")).scalars().all() == ["c-1"]
    finally:
        db.dispose()
