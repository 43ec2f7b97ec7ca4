"""A database made before step 2 (no severity, as-of, strict or warning count) upgrades in
place; a fresh one, whose step 1 already made the columns, passes step 2 unharmed."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.intake.migrations import MIGRATIONS
from shared.db import Database, migrate

ADDED = {
    "agreements": ("strict",),
    "import_batches": ("strict", "as_of", "bank_row_header", "rows_with_warnings"),
    "batch_errors": ("bank_row", "severity"),
}


def _columns(db: Database, table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_a_database_from_before_step_2_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS)[:2] == [1, 2]
        with db.engine.begin() as conn:  # make it look like a database step 1 made earlier
            for table, columns in ADDED.items():
                for column in columns:
                    conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 2"))
            conn.execute(
                text(
                    "INSERT INTO clients (id, name, kind, created_at, active) "
                    "VALUES ('C', 'c', 'bank', :t, :yes)"
                ),
                {"t": "2026-11-01 00:00:00+00:00", "yes": True},
            )
            conn.execute(
                text(
                    "INSERT INTO import_batches (id, client_id, filename, sha256, size_bytes, "
                    "all_or_nothing, received_at, state, rows_processed, rows_total, "
                    "rows_imported, rows_updated, rows_unchanged, rows_rejected, bytes_read) "
                    "VALUES ('b', 'C', 'f.csv', 'x', 1, :no, :t, 'completed', 1, 1, 0, 0, 0, 1, 1)"
                ),
                {"t": "2026-11-01 00:00:00+00:00", "no": False},
            )
            conn.execute(
                text(
                    'INSERT INTO batch_errors (batch_id, "row", "column", value, reason) '
                    "VALUES ('b', 2, '卡号', '', 'old finding')"
                )
            )
        assert migrate(db, MIGRATIONS) == [2]
        for table, columns in ADDED.items():
            assert set(columns) <= _columns(db, table)
        with db.engine.connect() as conn:
            old = conn.execute(text("SELECT severity, bank_row FROM batch_errors")).one()
        assert tuple(old) == ("error", None), "an old finding rejected its row"
        assert migrate(db, MIGRATIONS) == []
    finally:
        db.dispose()
