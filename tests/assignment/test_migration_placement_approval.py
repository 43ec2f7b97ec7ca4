"""An assignment database from before placements could wait for an approval upgrades in
place: agreements' outsourcing terms appear, cases and placements gain their columns, and
the rows already there are kept."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from services.assignment.migrations import MIGRATIONS
from shared.db import Database, migrate

PLACEMENT = (
    "INSERT INTO agency_placements (id, case_id, agency_id, collector_id, placed_by, "
    "placed_at, until, status) VALUES ('p-1', 'c-1', 'AGY-1', 'u-1', 'boss', :at, :at, 'placed')"
)


def test_a_database_from_before_placement_approval_upgrades(database_url: str) -> None:
    db = Database(database_url)
    step = next(m.version for m in MIGRATIONS if m.name.startswith("agency placements that"))
    try:
        migrate(db, MIGRATIONS)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE agreement_outsourcing"))
            conn.execute(text("DROP INDEX ix_agency_placements_approval"))
            conn.execute(text("ALTER TABLE agency_placements DROP COLUMN approval_id"))
            conn.execute(text("ALTER TABLE cases DROP COLUMN agreement_id"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": step})
            at = {"at": datetime(2026, 11, 1, tzinfo=UTC)}
            conn.execute(
                text(
                    "INSERT INTO cases (id, client_id, imported_at, due_estimated) "
                    "VALUES ('c-1', 'BANK-A', :at, false)"
                ),
                at,
            )
            conn.execute(text(PLACEMENT), at)
        assert migrate(db, MIGRATIONS) == [step]
        inspector = inspect(db.engine)
        assert "agreement_outsourcing" in inspector.get_table_names()
        assert "agreement_id" in {c["name"] for c in inspector.get_columns("cases")}
        assert "approval_id" in {c["name"] for c in inspector.get_columns("agency_placements")}
        indexes = {ix["name"] for ix in inspector.get_indexes("agency_placements")}
        assert "ix_agency_placements_approval" in indexes
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, approval_id, status FROM agency_placements"))
            assert [tuple(r) for r in rows] == [("p-1", None, "placed")]
            assert conn.execute(text("SELECT agreement_id FROM cases")).scalars().all() == [None]
    finally:
        db.dispose()
