"""Requests a supervisor approves or rejects, with requester, reason and decision."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field

from services.assignment.models import AssignmentTable
from shared.money import Money


class Approval(AssignmentTable, table=True):
    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_status", "status", "requested_at"),
        Index("ix_approvals_case", "case_id", "requested_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=36)
    client_id: str = Field(max_length=64)
    team_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=24)
    status: str = Field(max_length=12)
    reason: str = Field(max_length=1000)
    next_steps: str | None = Field(default=None, max_length=1000)
    amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    until: date | None = None
    visit_id: str | None = Field(default=None, max_length=36)
    requested_by: str = Field(max_length=36)
    requested_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    decided_by: str | None = Field(default=None, max_length=36)
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    decision_note: str | None = Field(default=None, max_length=1000)
