"""Each service's database from before the exact-money step (amounts and rates in
``NUMERIC`` columns, kept as binary floats on SQLite) upgrades in place: every `Money` and
`Rate` column of every table becomes whole units and every value reads back as written."""

from __future__ import annotations

import importlib
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection

from shared.db import Database, Migration, migrate
from shared.money import Money, Rate, ScaledInteger

SERVICES = ("intake", "assignment", "contact", "letters", "reporting")
AMOUNTS = [
    Decimal("0.29"),
    Decimal("1234567.89"),
    Decimal("0.01"),
    Decimal("-70.07"),
    Decimal("99999999999.99"),
    Decimal("4.35"),
]
RATES = [Decimal("0.1250"), Decimal("0.0004"), Decimal("0.15")]


def _service(name: str) -> tuple[MetaData, list[Migration]]:
    importlib.import_module(f"services.{name}.main")  # every model module registered
    migrations = importlib.import_module(f"services.{name}.migrations").MIGRATIONS
    models = importlib.import_module(f"services.{name}.models")
    base = next(
        v for k, v in vars(models).items() if k.endswith("Table") and hasattr(v, "metadata")
    )
    return base.metadata, migrations


def _exact_step(migrations: list[Migration]) -> int:
    (step,) = [m.version for m in migrations if m.name.startswith("exact money")]
    return step


def _money_tables(metadata: MetaData) -> list[Table]:
    """Tables with an exact column and the tables they refer to, parents first."""
    wanted = {t for t in metadata.sorted_tables if _exact_columns(t)}
    for table in list(wanted):
        for fk in table.foreign_keys:
            wanted.add(fk.column.table)
    return [t for t in metadata.sorted_tables if t in wanted]


def _exact_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, ScaledInteger)]


def _filler(table: Table, values: dict[str, Decimal]) -> dict[str, Any]:
    """One row: the given exact values, and for the rest the same key everywhere (so
    foreign keys meet their parent's row) or a plain value of the column's type."""
    row: dict[str, Any] = {}
    for column in table.columns:
        kind = column.type
        if column.name in values:
            row[column.name] = values[column.name]
        elif column is table.autoincrement_column:
            continue
        elif isinstance(kind, Boolean):
            row[column.name] = False
        elif isinstance(kind, DateTime):
            row[column.name] = datetime(2026, 11, 1, tzinfo=UTC)
        elif isinstance(kind, Date):
            row[column.name] = date(2026, 11, 1)
        elif isinstance(kind, JSON):
            row[column.name] = []
        elif isinstance(kind, Integer):
            row[column.name] = 1
        else:
            row[column.name] = "k"
    return row


def _as_before(conn: Connection, table: str, column: str, places: int) -> None:
    """Make the column what the step before left: ``NUMERIC``, floats on SQLite."""
    kind = "NUMERIC(18, 2)" if places == 2 else "NUMERIC(9, 6)"
    divisor = f"{10**places}.0"
    if conn.dialect.name != "sqlite":
        conn.execute(
            text(
                f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {kind} '
                f'USING "{column}" / {divisor}'
            )
        )
        return
    conn.execute(text(f'ALTER TABLE "{table}" ADD COLUMN "{column}__old" {kind}'))
    conn.execute(text(f'UPDATE "{table}" SET "{column}__old" = "{column}" / {divisor}'))
    conn.execute(text(f'ALTER TABLE "{table}" DROP COLUMN "{column}"'))
    conn.execute(text(f'ALTER TABLE "{table}" RENAME COLUMN "{column}__old" TO "{column}"'))


@pytest.mark.parametrize("service", SERVICES)
def test_a_database_from_before_exact_money_upgrades_without_loss(
    service: str, databases: Any
) -> None:
    metadata, migrations = _service(service)
    step = _exact_step(migrations)
    db = Database(databases.new(service))
    try:
        migrate(db, migrations)
        expected: dict[str, dict[str, Decimal]] = {}
        n = 0
        with db.engine.begin() as conn:
            for table in _money_tables(metadata):
                values = {}
                for column in _exact_columns(table):
                    pool = RATES if isinstance(column.type, Rate) else AMOUNTS
                    values[column.name] = pool[n % len(pool)]
                    n += 1
                conn.execute(table.insert().values(**_filler(table, values)))
                expected[table.name] = values
            for table in _money_tables(metadata):
                for column in _exact_columns(table):
                    _as_before(conn, table.name, column.name, column.type.places)
            conn.execute(text(f"DELETE FROM schema_migrations WHERE version = {step}"))
        assert sum(len(v) for v in expected.values()) >= 1
        money = sum(isinstance(c.type, Money) for t in metadata.tables.values() for c in t.columns)
        assert money >= 1, f"{service} has no money column"

        assert migrate(db, migrations) == [step]

        with db.engine.connect() as conn:
            inspector = inspect(conn)
            for table in (t for t in _money_tables(metadata) if expected[t.name]):
                kinds = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
                columns = [table.c[name] for name in expected[table.name]]
                found = conn.execute(select(*columns)).one()
                assert dict(zip(expected[table.name], found, strict=True)) == expected[table.name]
                for name in expected[table.name]:
                    assert isinstance(kinds[name], Integer), (table.name, name)
        assert migrate(db, migrations) == []
    finally:
        db.dispose()


def test_a_fresh_database_passes_the_exact_money_step_unharmed(database_url: str) -> None:
    metadata, migrations = _service("intake")
    db = Database(database_url)
    try:
        assert _exact_step(migrations) in migrate(db, migrations)
        client = {"id": f"C-{uuid.uuid4().hex[:6]}"}
        with db.engine.begin() as conn:
            conn.execute(metadata.tables["clients"].insert().values(**_filler(
                metadata.tables["clients"], {}) | client))  # fmt: skip
        kinds = {c["name"]: c["type"] for c in inspect(db.engine).get_columns("payments")}
        assert isinstance(kinds["amount"], Integer)
    finally:
        db.dispose()
