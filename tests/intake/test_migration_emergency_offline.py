"""An intake database from before the emergency channel and offline intake upgrades in
place: the channel's four tables and the batch's incident column appear, rows kept."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.intake.migrations import MIGRATIONS
from shared.db import Database, migrate

TABLES = ("emergency_endpoints", "emergency_secrets", "emergency_notifications",
          "emergency_deliveries")  # fmt: skip


def _step(prefix: str) -> int:
    return next(m.version for m in MIGRATIONS if m.name.startswith(prefix))


def test_a_database_from_before_the_emergency_channel_upgrades(database_url: str) -> None:
    db = Database(database_url)
    channel, offline = _step("the bank's emergency channel"), _step("offline intake")
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            for table in TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("ALTER TABLE import_batches DROP COLUMN offline_incident_id"))
            conn.execute(
                text("DELETE FROM schema_migrations WHERE version IN (:a, :b)"),
                {"a": channel, "b": offline},
            )
            conn.execute(
                text(
                    "INSERT INTO clients (id, name, kind, created_at, active) "
                    "VALUES ('C', 'c', 'bank', :t, :yes)"
                ),
                {"t": "2026-11-01 00:00:00+00:00", "yes": True},
            )
        assert migrate(db, MIGRATIONS) == sorted([channel, offline])
        inspector = inspect(db.engine)
        assert set(TABLES) <= set(inspector.get_table_names())
        assert "offline_incident_id" in {c["name"] for c in inspector.get_columns("import_batches")}
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id FROM clients")).scalars().all() == ["C"]
    finally:
        db.dispose()
