"""An assignment database made before step 4 (no strategy, handovers, field visits or
approvals) upgrades in place; its cases get a next action due at once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from services.assignment.migrations import MIGRATIONS
from shared.clock import as_utc
from shared.db import Database, migrate

NEW_TABLES = ("strategy_ladders", "approvals", "handover_cases", "handovers", "field_visits")
QUEUE_INDEX = "ix_cases_queue_collector"
ADDED = (
    "overdue_since",
    "next_action",
    "next_channel",
    "next_action_due",
    "debtor_type",
    "situation",
    "treatment",
    "treatment_by",
    "treatment_at",
    "extended_until",
)


def test_a_database_from_before_step_4_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:4]) == [1, 2, 3, 4]
        with db.engine.begin() as conn:
            for table in NEW_TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text(f"DROP INDEX {QUEUE_INDEX}"))
            conn.execute(text("CREATE INDEX ix_cases_collector_id ON cases (collector_id)"))
            for column in ADDED:
                conn.execute(text(f"ALTER TABLE cases DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 4"))
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, imported_at, due_estimated) "
                    "VALUES ('c-1', 'BANK-A', :at, false)"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC)},
            )
        assert migrate(db, MIGRATIONS[:4]) == [4]
        inspector = inspect(db.engine)
        assert set(ADDED) <= {c["name"] for c in inspector.get_columns("cases")}
        assert set(NEW_TABLES) <= set(inspector.get_table_names())
        indexes = {ix["name"] for ix in inspector.get_indexes("cases")}
        assert QUEUE_INDEX in indexes and "ix_cases_collector_id" not in indexes
        with db.engine.connect() as conn:
            action, due = conn.execute(text("SELECT next_action, next_action_due FROM cases")).one()
        assert action == "phone"
        due = datetime.fromisoformat(due) if isinstance(due, str) else due
        assert as_utc(due) == datetime(2026, 11, 1, tzinfo=UTC)
    finally:
        db.dispose()
