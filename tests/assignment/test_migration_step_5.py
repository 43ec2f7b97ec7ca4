"""An assignment database made before step 5 (no clock start for cases back in the queue,
no debtor zone, no quiet-hours reasons on visits) upgrades in place and keeps its cases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from services.assignment.migrations import MIGRATIONS, STEP_5_COLUMNS
from shared.db import Database, migrate


def test_a_database_from_before_step_5_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:5]) == [1, 2, 3, 4, 5]
        with db.engine.begin() as conn:
            for table, columns in STEP_5_COLUMNS.items():
                for column in columns:
                    conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.name}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 5"))
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, imported_at, due_estimated) "
                    "VALUES ('c-1', 'BANK-A', :at, true)"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC)},
            )
        assert migrate(db, MIGRATIONS[:5]) == [5]
        inspector = inspect(db.engine)
        for table, columns in STEP_5_COLUMNS.items():
            present = {c["name"] for c in inspector.get_columns(table)}
            assert {c.name for c in columns} <= present, table
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT id, assign_clock_from, timezone FROM cases")).one()
        assert tuple(kept) == ("c-1", None, None)
    finally:
        db.dispose()
