"""An intake database from before agreements said whether outsourcing needs an approval
upgrades in place: the column appears, and the agreements on file need none."""

from __future__ import annotations

from sqlalchemy import inspect, text

from services.intake.migrations import MIGRATIONS
from shared.db import Database, migrate

AGREEMENT = (
    "INSERT INTO agreements (id, client_id, number, status, start_date, end_date, "
    "product_types, commission_rate, bucket_rates, reconciliation_day, recovery_target, "
    "regular_channel, emergency_channel, column_mapping, strict, created_at, updated_at) "
    "VALUES ('A-1', 'C', 'N-1', 'active', '2026-01-01', '2026-12-31', '[]', 120000, '{}', "
    "25, 0, '{}', '{}', '{}', :no, :t, :t)"
)


def test_a_database_from_before_the_outsourcing_approval_flag_upgrades(
    database_url: str,
) -> None:
    db = Database(database_url)
    step = next(m.version for m in MIGRATIONS if m.name.startswith("agreements that require"))
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE agreements DROP COLUMN outsourcing_needs_approval"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": step})
            conn.execute(
                text(
                    "INSERT INTO clients (id, name, kind, created_at, active) "
                    "VALUES ('C', 'c', 'bank', :t, :yes)"
                ),
                {"t": "2026-11-01 00:00:00+00:00", "yes": True},
            )
            conn.execute(text(AGREEMENT), {"no": False, "t": "2026-11-01 00:00:00+00:00"})
        assert migrate(db, MIGRATIONS) == [step]
        columns = {c["name"] for c in inspect(db.engine).get_columns("agreements")}
        assert "outsourcing_needs_approval" in columns
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, outsourcing_needs_approval FROM agreements"))
            assert [tuple(r) for r in rows] == [("A-1", False)]
    finally:
        db.dispose()
