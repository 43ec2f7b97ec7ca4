"""A contact database made before step 2 (cases without time zone, named contacts or the
first-contact clock; no contact log) upgrades in place and keeps its cases."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.contact.migrations import MIGRATIONS, NEW_TABLES
from shared.db import Database, migrate

ADDED = (
    "account_ref",
    "product_type",
    "timezone",
    "named_contacts",
    "status",
    "cease_requested_at",
    "first_contact_due_at",
    "first_attempt_at",
    "first_attempt_late",
)


def test_a_database_from_before_step_2_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS)[:2] == [1, 2]
        with db.engine.begin() as conn:
            for table in NEW_TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            for column in ADDED:
                conn.execute(text(f"ALTER TABLE cases DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 2"))
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, phone_count, received_at) "
                    "VALUES ('c-1', 'BANK-A', 1, '2026-11-01 00:00:00+00:00')"
                )
            )
        assert migrate(db, MIGRATIONS) == [2]
        columns = {c["name"] for c in inspect(db.engine).get_columns("cases")}
        assert set(ADDED) <= columns
        assert set(NEW_TABLES) <= set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT named_contacts, status FROM cases")).one()
        assert tuple(row) == ("[]", "active")
    finally:
        db.dispose()
