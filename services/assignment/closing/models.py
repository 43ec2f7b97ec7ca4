"""What closure needs to know of each case: what is owed and paid, since when it is overdue,
and whose it is (the debtor's keyed ID-number hash, for the blacklist)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, DateTime
from sqlmodel import Field

from services.assignment.models import AssignmentTable
from shared.money import Money


class CaseBalance(AssignmentTable, table=True):
    """``owed`` is the client's latest figure (CaseImported, or CaseUpdated with a debt);
    ``paid`` sums the payments reported since that figure."""

    __tablename__ = "case_balances"

    case_id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(max_length=64)
    owed: Decimal = Field(sa_column=Column(Money(), nullable=False))
    paid: Decimal = Field(default=Decimal("0"), sa_column=Column(Money(), nullable=False))
    overdue_since: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    debtor_key: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
