"""Promises to pay, their instalments, and the payments the client reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column
from sqlmodel import Field

from services.contact.models import ContactTable, utc_column
from shared.money import Money


def money_column() -> Column[Decimal]:
    return Column(Money(), nullable=False)


class Promise(ContactTable, table=True):
    __tablename__ = "promises"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    collector_id: str = Field(max_length=36)
    attempt_id: str | None = Field(default=None, max_length=36)
    amount: Decimal = Field(sa_column=money_column())
    promised_at: datetime = Field(sa_column=utc_column())
    counts_from: datetime | None = Field(
        default=None,
        sa_column=utc_column(nullable=True),
        description="Payments made from here (the start of the day of the promise, on the "
        "debtor's clock) count toward it; older rows count from promised_at",
    )
    state: str = Field(default="open", max_length=20)


class Instalment(ContactTable, table=True):
    __tablename__ = "promise_instalments"

    promise_id: str = Field(primary_key=True, max_length=36)
    seq: int = Field(primary_key=True)
    case_id: str = Field(index=True, max_length=36)
    due_on: date
    deadline: datetime = Field(sa_column=utc_column(index=True))
    amount: Decimal = Field(sa_column=money_column())
    paid_on_time: Decimal = Field(default=Decimal("0"), sa_column=money_column())
    paid_late: Decimal = Field(default=Decimal("0"), sa_column=money_column())
    state: str = Field(default="open", max_length=20)
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Payment(ContactTable, table=True):
    """A payment the client reported (``PaymentReceived``), once per transaction."""

    __tablename__ = "payments"

    client_id: str = Field(primary_key=True, max_length=64)
    transaction_ref: str = Field(primary_key=True, max_length=64)
    case_id: str = Field(index=True, max_length=36)
    amount: Decimal = Field(sa_column=money_column())
    paid_at: datetime = Field(sa_column=utc_column())
    unallocated: Decimal | None = Field(
        default=None,
        sa_column=Column(Money(), nullable=True),
        description="What no promise took of it yet (a promise made later that day may)",
    )
