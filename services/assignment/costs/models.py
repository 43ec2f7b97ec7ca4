"""Costs on a case (travel, legal and court fees, postage), each with who approved it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, DateTime, Index
from sqlmodel import Field

from services.assignment.models import AssignmentTable
from shared.money import Money


class CaseCost(AssignmentTable, table=True):
    __tablename__ = "case_costs"
    __table_args__ = (Index("ix_case_costs_case", "case_id", "incurred_on"),)

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=36)
    client_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    currency: str = Field(default="CNY", max_length=3)
    incurred_on: date = Field(sa_column=Column(Date, nullable=False))
    incurred_by: str | None = Field(default=None, max_length=36)
    note: str | None = Field(default=None, max_length=500)
    approved_by: str = Field(max_length=36)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
