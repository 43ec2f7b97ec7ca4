"""The one way hot bulk writes are sent (``shared.db.execute_many``), on SQLite and
PostgreSQL: every row arrives as written, through the columns' own conversions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from shared.db import Database, dialect_insert, execute_many, upsert
from shared.money import Money

metadata = sa.MetaData()
payments = sa.Table(
    "payments",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("amount", Money(), nullable=False),
    sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    metadata.create_all(database.engine)
    yield database
    database.dispose()


def stored(db: Database) -> list[tuple[str, Decimal, datetime, str]]:
    with db.reader() as session:
        rows = session.execute(sa.select(payments).order_by(payments.c.id))
        return [(r.id, r.amount, r.booked_at.astimezone(UTC), r.source) for r in rows]


def test_rows_sharing_a_clock_reading_and_rows_of_their_own_are_stored_alike(
    db: Database,
) -> None:
    now = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    rows = [
        {"id": f"p{n}", "amount": Decimal(f"{n}.25"), "booked_at": now, "source": "bank"}
        for n in range(3)
    ]
    rows += [
        {"id": f"q{n}", "amount": Decimal("0.01"), "booked_at": now + timedelta(days=n)}
        | {"source": "desk"}
        for n in range(2)
    ]

    with db.transaction() as session:
        written = execute_many(session, payments.insert(), rows)

    assert written == 5
    assert stored(db) == [
        ("p0", Decimal("0.25"), now, "bank"),
        ("p1", Decimal("1.25"), now, "bank"),
        ("p2", Decimal("2.25"), now, "bank"),
        ("q0", Decimal("0.01"), now, "desk"),
        ("q1", Decimal("0.01"), now + timedelta(days=1), "desk"),
    ]


def test_a_value_the_statement_carries_goes_to_every_row(db: Database) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    rows = [{"id": f"p{n}", "amount": Decimal("5")} for n in range(3)]

    with db.transaction() as session:
        execute_many(session, payments.insert().values(booked_at=now, source="file"), rows)

    assert [(r[0], r[2], r[3]) for r in stored(db)] == [(f"p{n}", now, "file") for n in range(3)]


def test_an_upsert_changes_the_rows_that_exist_and_adds_the_others(db: Database) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    first = {"id": "p1", "amount": Decimal("1"), "booked_at": now, "source": "bank"}
    with db.transaction() as session:
        execute_many(session, payments.insert(), [first])

    with db.transaction() as session:
        upsert(
            session,
            payments,
            [first | {"amount": Decimal("9.99")}, first | {"id": "p2"}],
            key=["id"],
            changes=lambda excluded: {"amount": excluded.amount},
        )

    assert [(r[0], r[1]) for r in stored(db)] == [("p1", Decimal("9.99")), ("p2", Decimal("1"))]


def test_a_conflict_left_alone_is_not_counted_as_written(db: Database) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    row = {"id": "p1", "amount": Decimal("1"), "booked_at": now, "source": "bank"}
    with db.transaction() as session:
        execute_many(session, payments.insert(), [row])

    with db.transaction() as session:
        insert = dialect_insert(session)(payments).on_conflict_do_nothing(index_elements=["id"])
        written = execute_many(session, insert, [row, row | {"id": "p2"}])

    assert written == 1
    assert [r[0] for r in stored(db)] == ["p1", "p2"]
