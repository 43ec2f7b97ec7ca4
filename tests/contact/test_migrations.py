"""A contact database made before step 2 (cases without time zone, named contacts or the
first-contact clock; no contact log) and one made before step 4 (no recordings, contact
details, visits or calendar; attempts without debtor key or recording) upgrade in place and
keep what they hold."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.contact.migrations import (
    MIGRATIONS,
    NEW_TABLES,
    STEP_4_INDEXES,
    STEP_4_TABLES,
    STEP_5_COLUMNS,
)
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
        assert migrate(db, MIGRATIONS[:2]) == [1, 2]
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
        assert migrate(db, MIGRATIONS[:2]) == [2]
        columns = {c["name"] for c in inspect(db.engine).get_columns("cases")}
        assert set(ADDED) <= columns
        assert set(NEW_TABLES) <= set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT named_contacts, status FROM cases")).one()
        assert tuple(row) == ("[]", "active")
    finally:
        db.dispose()


STEP_4_COLUMNS = {
    "cases": ("debtor_key",),
    "contact_attempts": ("debtor_key", "recording_sha256"),
    "disputes": ("outcome", "resolved_by", "resolution_evidence"),
}


def test_a_database_from_before_step_4_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:4]) == [1, 2, 3, 4]
        with db.engine.begin() as conn:
            for table in STEP_4_TABLES:
                conn.execute(text(f"DROP TABLE {table}"))
            for _table, index, _ in STEP_4_INDEXES:
                conn.execute(text(f"DROP INDEX {index}"))
            for table, columns in STEP_4_COLUMNS.items():
                for column in columns:
                    conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 4"))
            conn.execute(
                text(
                    "INSERT INTO disputes (id, case_id, kind, reason, raised_at) "
                    "VALUES ('d-1', 'c-1', 'dispute', 'not mine', '2026-11-01 00:00:00+00:00')"
                )
            )
        assert migrate(db, MIGRATIONS[:4]) == [4]
        inspector = inspect(db.engine)
        for table, columns in STEP_4_COLUMNS.items():
            assert set(columns) <= {c["name"] for c in inspector.get_columns(table)}, table
        assert set(STEP_4_TABLES) <= set(inspector.get_table_names())
        for table, index, _ in STEP_4_INDEXES:
            assert index in {i["name"] for i in inspector.get_indexes(table)}
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT reason, resolved_by FROM disputes")).one()
        assert tuple(kept) == ("not mine", None)
    finally:
        db.dispose()


def test_a_database_from_before_step_5_upgrades_and_flags_rechecks_to_recount(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:6]) == [1, 2, 3, 4, 5, 6]
        with db.engine.begin() as conn:
            for table, columns in STEP_5_COLUMNS.items():
                for column in columns:
                    conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column.name}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = 5"))
            for id_, due in (("f-2027", "2027-01-05 02:00:00+00:00"),
                             ("f-2026", "2026-12-01 02:00:00+00:00")):  # fmt: skip
                conn.execute(
                    text(
                        "INSERT INTO follow_ups (id, case_id, attempt_id, kind, due_at, status) "
                        "VALUES (:id, 'c-1', 'a-1', 'payment_recheck', :due, 'open')"
                    ),
                    {"id": id_, "due": due},
                )
        assert migrate(db, MIGRATIONS[:6]) == [5]
        inspector = inspect(db.engine)
        for table, columns in STEP_5_COLUMNS.items():
            present = {c["name"] for c in inspector.get_columns(table)}
            assert {c.name for c in columns} <= present, table
        with db.engine.connect() as conn:
            flags = dict(conn.execute(text("SELECT id, due_estimated FROM follow_ups")).all())
        assert flags == {"f-2027": True, "f-2026": False}
    finally:
        db.dispose()


def test_a_database_from_before_step_6_gains_the_first_overdue_day(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:5]) == [1, 2, 3, 4, 5]
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE cases DROP COLUMN overdue_since"))
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, phone_count, received_at) "
                    "VALUES ('c-1', 'BANK-A', 1, '2026-11-01 00:00:00+00:00')"
                )
            )
        assert migrate(db, MIGRATIONS[:6]) == [6]
        assert "overdue_since" in {c["name"] for c in inspect(db.engine).get_columns("cases")}
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id, overdue_since FROM cases")).one() == ("c-1", None)
    finally:
        db.dispose()
