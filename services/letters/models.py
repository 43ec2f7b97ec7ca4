"""Letters' table base and its copy of each case; each feature keeps its own tables beside
it (issuing, dispatch, proof, letterheads, limitation)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import Column, DateTime, MetaData, Table
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.money import Money
from shared.purge.runs import purge_runs_table
from shared.workdays.tables import workday_table


class LettersTable(SQLModel, registry=registry(metadata=MetaData())):
    """Letters' table base, with its own metadata (as ``shared.db.service_model_base``
    makes one) written as a class so mypy follows it to every table."""

    __table__: ClassVar[Table]


BUS = bus_tables(LettersTable.metadata)
SECURITY = security_tables(LettersTable.metadata)
PURGE_RUNS = purge_runs_table(LettersTable.metadata)
WORKDAYS = workday_table(LettersTable.metadata)


def money(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(Money(), nullable=nullable)


def utc(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=nullable)


class LetterCase(LettersTable, table=True):
    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, index=True, max_length=36)
    total_owed: Decimal = Field(sa_column=money())
    overdue_since: date | None = None
    received_at: datetime = Field(sa_column=utc())
    account_ref: str | None = Field(default=None, max_length=64)
    product_type: str | None = Field(default=None, max_length=64)
    debtor_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    principal: Decimal | None = Field(default=None, sa_column=money(True))
    interest: Decimal | None = Field(default=None, sa_column=money(True))
    penalty: Decimal | None = Field(default=None, sa_column=money(True))
    fees: Decimal | None = Field(default=None, sa_column=money(True))
    last_paid_at: datetime | None = Field(default=None, sa_column=utc(True))
    limitation_ends_on: date | None = Field(default=None, index=True)
