"""A contact database from before recordings' custody upgrades in place: the custodians,
backup runs, their items and the backed-up list appear; recordings are kept."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.contact.migrations import MIGRATIONS
from shared.db import Database, migrate

TABLES = ("recording_custodians", "recording_backups", "recording_backup_items",
          "recordings_backed_up")  # fmt: skip


def test_a_database_from_before_recordings_custody_upgrades(database_url: str) -> None:
    db = Database(database_url)
    step = next(m.version for m in MIGRATIONS if m.name.startswith("recordings' custodians"))
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            for table in TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": step})
            conn.execute(
                text(
                    "INSERT INTO recordings (case_id, sha256, format, size, uploaded_by, "
                    "uploaded_at) VALUES ('c-1', :sha, 'amr', 10, 'a', :t)"
                ),
                {"sha": "a" * 64, "t": "2026-11-01 00:00:00+00:00"},
            )
        assert migrate(db, MIGRATIONS) == [step]
        assert set(TABLES) <= set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT case_id FROM recordings")).scalars().all() == ["c-1"]
    finally:
        db.dispose()
