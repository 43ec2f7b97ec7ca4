"""`Money` and `Rate` on the real database (SQLite, or PostgreSQL under TEST_POSTGRES=1):
every amount the old ``NUMERIC(18, 2)`` allowed comes back exactly, and sums, differences
and comparisons in SQL stay in whole fen."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.exc import StatementError

from shared.db import Database
from shared.money import Money, Rate

METADATA = MetaData()
LEDGER = Table(
    "ledger",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("owed", Money(), nullable=False),
    Column("paid", Money(), nullable=False),
    Column("rate", Rate(), nullable=True),
)
EDGES = [
    "0.00",
    "0.01",
    "-0.01",
    "0.29",
    "1234567.89",
    "9007199254740.99",
    "1234567890123456.78",
    "9999999999999999.99",
    "-9999999999999999.99",
]


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    METADATA.create_all(database.engine)
    yield database
    database.dispose()


@pytest.mark.parametrize("amount", EDGES)
def test_an_amount_round_trips_exactly(db: Database, amount: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(LEDGER).values(id=1, owed=Decimal(amount), paid=Decimal("0")))
        (owed,) = conn.execute(select(LEDGER.c.owed)).one()
    assert isinstance(owed, Decimal) and str(owed) == amount


def test_an_amount_beyond_the_range_or_a_float_is_refused(db: Database) -> None:
    with db.engine.begin() as conn:
        for bad in (Decimal("10000000000000000.00"), 0.1):
            with pytest.raises(StatementError):
                conn.execute(insert(LEDGER).values(id=1, owed=bad, paid=Decimal("0")))
        assert conn.execute(select(func.count()).select_from(LEDGER)).scalar_one() == 0


def test_sql_sums_differences_and_comparisons_stay_in_fen(db: Database) -> None:
    rows = [{"id": n, "owed": Decimal("0.10"), "paid": Decimal("0.01")} for n in range(100_000)]
    with db.engine.begin() as conn:
        conn.execute(insert(LEDGER), rows)
        total, balance = conn.execute(
            select(func.sum(LEDGER.c.paid), func.sum(LEDGER.c.owed - LEDGER.c.paid))
        ).one()
        assert (total, balance) == (Decimal("1000.00"), Decimal("9000.00"))
        assert str(total) == "1000.00"
        open_ = select(func.count()).where(LEDGER.c.owed - LEDGER.c.paid > Decimal("0.09"))
        assert conn.execute(open_).scalar_one() == 0
        at_least = select(func.count()).where(LEDGER.c.owed - LEDGER.c.paid >= Decimal("0.09"))
        assert conn.execute(at_least).scalar_one() == 100_000
        tripled = conn.execute(select(LEDGER.c.paid * 3).where(LEDGER.c.id == 0)).scalar_one()
        assert tripled == Decimal("0.03")


def test_an_amount_with_more_than_two_decimals_is_rounded_half_up(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            insert(LEDGER),
            [
                {"id": 1, "owed": Decimal("0.005"), "paid": Decimal("-0.005")},
                {"id": 2, "owed": Decimal("0.0049"), "paid": Decimal("2.675")},
            ],
        )
        found = conn.execute(select(LEDGER.c.owed, LEDGER.c.paid).order_by(LEDGER.c.id)).all()
    assert [tuple(r) for r in found] == [
        (Decimal("0.01"), Decimal("-0.01")),
        (Decimal("0.00"), Decimal("2.68")),
    ]


@pytest.mark.parametrize("rate", ["0.1250", "0.0004", "0.000001", "1.0000", "12.345678"])
def test_a_rate_round_trips_exactly(db: Database, rate: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(LEDGER).values(id=1, owed=0, paid=0, rate=Decimal(rate)))
        assert conn.execute(select(LEDGER.c.rate)).scalar_one() == Decimal(rate)


def test_a_rate_with_more_than_six_decimals_is_refused(db: Database) -> None:
    with db.engine.begin() as conn, pytest.raises(StatementError):
        conn.execute(insert(LEDGER).values(id=1, owed=0, paid=0, rate=Decimal("0.0000001")))
