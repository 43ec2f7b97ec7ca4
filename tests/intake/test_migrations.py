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


def test_a_database_from_before_step_4_counts_days_to_the_day_received(database_url: str) -> None:
    """Cases from before step 4 learn the day their days past due were counted to (the
    Shanghai day received, as intake counted then); a bucket intake derived itself (M4+,
    M2) is cleared, a bank's own label is kept."""
    db = Database(database_url)
    try:
        assert migrate(db, MIGRATIONS[:3]) == [1, 2, 3]
        with db.engine.begin() as conn:
            conn.execute(text("ALTER TABLE cases DROP COLUMN days_past_due_on"))
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
                    "rows_imported, rows_updated, rows_unchanged, rows_rejected, bytes_read, "
                    "strict, rows_with_warnings) VALUES ('b', 'C', 'f.csv', 'x', 1, :no, :t, "
                    "'completed', 4, 4, 4, 0, 0, 0, 1, :no, 0)"
                ),
                {"t": "2026-11-01 00:00:00+00:00", "no": False},
            )
            for case_id, days, bucket in (("a", 200, "M4+"), ("b", 45, "M2"), ("c", 45, "逾期2期"),
                                          ("d", None, None)):  # fmt: skip
                conn.execute(
                    text(
                        "INSERT INTO cases (id, client_id, batch_id, last_batch_id, account_ref, "
                        "state, debtor_name, phones, contacts, principal, interest, penalty, "
                        "fees, total_owed, currency, days_past_due, bucket, received_at) "
                        "VALUES (:id, 'C', 'b', 'b', :id, 'active', 'x', '[]', '[]', 0, 0, 0, "
                        "0, 10, 'CNY', :days, :bucket, :t)"
                    ),
                    # 17:30 UTC on 1 November is 2 November in Shanghai
                    {
                        "id": case_id,
                        "days": days,
                        "bucket": bucket,
                        "t": "2026-11-01 17:30:00+00:00",
                    },
                )
        assert migrate(db, MIGRATIONS[:4]) == [4]
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, days_past_due_on, bucket FROM cases ORDER BY id")
            ).all()
        found = {r[0]: (str(r[1])[:10] if r[1] else None, r[2]) for r in rows}
        assert found == {
            "a": ("2026-11-02", None),
            "b": ("2026-11-02", None),
            "c": ("2026-11-02", "逾期2期"),
            "d": (None, None),
        }
        assert migrate(db, MIGRATIONS[:4]) == []
    finally:
        db.dispose()
