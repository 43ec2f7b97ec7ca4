"""Letters' tables: its own copy of each case it may write to."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Numeric
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.workdays.tables import workday_table

LettersTable = service_model_base("Letters")
BUS = bus_tables(LettersTable.metadata)
SECURITY = security_tables(LettersTable.metadata)
WORKDAYS = workday_table(LettersTable.metadata)


class LetterCase(LettersTable, table=True):
    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, index=True, max_length=36)
    total_owed: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    overdue_since: date | None = None
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
