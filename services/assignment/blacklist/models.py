"""The blacklist: debtors whose long-overdue case was settled, by keyed ID-number hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer
from sqlmodel import Field

from services.assignment.models import AssignmentTable


class BlacklistEntry(AssignmentTable, table=True):
    """One settled long-overdue case of a debtor; the ID number itself is never kept."""

    __tablename__ = "blacklist"
    __table_args__ = (Index("ix_blacklist_debtor_client", "debtor_key", "client_id"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    debtor_key: str = Field(max_length=64)
    client_id: str = Field(max_length=64)
    case_id: str = Field(max_length=36, unique=True)
    outcome: str = Field(max_length=16)
    days_overdue: int
    settled_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
