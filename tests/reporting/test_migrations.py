"""A reporting database from migration 1 (case facts and the tally) upgrades in place: the
read models appear (empty until `make rebuild-reports`), the tally is kept."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.reporting.migrations import MIGRATIONS
from shared.db import Database, migrate


def test_a_database_from_before_step_2_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:1]) == [1]
        assert "case_facts" in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO event_tally (event_type, count) VALUES ('CaseImported', 7)")
            )
        assert migrate(db, MIGRATIONS) == [m.version for m in MIGRATIONS[1:]]
        tables = set(inspect(db.engine).get_table_names())
        assert "revoked_bank_keys" in tables
        assert {"rm_cases", "rm_payments", "report_submissions", "workday_calendar"} <= tables
        assert "case_facts" not in tables
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("rm_payments")}
        assert "ix_rm_payments_paid_at" in indexes
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count FROM event_tally")).scalar_one() == 7
    finally:
        db.dispose()


def test_a_database_from_before_the_incident_clocks_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        step = next(m.version for m in MIGRATIONS if m.name.startswith("incidents' clocks"))
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE rm_incidents"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": step})
        assert migrate(db, MIGRATIONS) == [step]
        assert "rm_incidents" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


def test_a_database_from_before_agency_placements_upgrades(database_url: str) -> None:
    db = Database(database_url)
    try:
        step = next(m.version for m in MIGRATIONS if m.name.startswith("outside agencies'"))
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE rm_placements"))
            conn.execute(text("DROP TABLE rm_agencies"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": step})
            conn.execute(
                text("INSERT INTO event_tally (event_type, count) VALUES ('CaseImported', 3)")
            )
        assert migrate(db, MIGRATIONS) == [step]
        assert {"rm_placements", "rm_agencies"} <= set(inspect(db.engine).get_table_names())
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("rm_placements")}
        assert "ix_rm_placements_case_id_placed_at" in indexes
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count FROM event_tally")).scalar_one() == 3
    finally:
        db.dispose()
