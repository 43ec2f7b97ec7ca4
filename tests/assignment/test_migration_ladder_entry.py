"""An assignment database from before the ladder-entry step upgrades in place: its cases
get the three columns, empty, so they keep following the ladder as before."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from services.assignment.migrations import MIGRATIONS
from shared.db import Database, migrate

STEP = next(m.version for m in MIGRATIONS if m.name.startswith("the ladder for cases"))
ADDED = ("first_contact_due", "first_contact_at", "entry_step_done_at")


def test_a_database_from_before_the_ladder_entry_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            for column in ADDED:
                conn.execute(text(f"ALTER TABLE cases DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": STEP})
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, imported_at, due_estimated) "
                    "VALUES ('c-1', 'BANK-A', :at, false)"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC)},
            )
        assert migrate(db, MIGRATIONS) == [STEP]
        assert set(ADDED) <= {c["name"] for c in inspect(db.engine).get_columns("cases")}
        with db.engine.connect() as conn:
            row = conn.execute(text(f"SELECT {', '.join(ADDED)} FROM cases")).one()
        assert tuple(row) == (None, None, None)
    finally:
        db.dispose()
