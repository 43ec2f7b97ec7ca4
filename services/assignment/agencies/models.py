"""Outside agencies (委外) and the cases placed with them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field

from services.assignment.models import AssignmentTable


def _moment(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class Agency(AssignmentTable, table=True):
    """An outside collection agency; its users are collectors in the team of its id."""

    __tablename__ = "agencies"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    commission_rate: str = Field(max_length=12, description="Decimal text, e.g. 0.2500")
    term_days: int
    active: bool = True
    created_at: datetime = Field(sa_column=_moment(False))


class OutsourcingTerms(AssignmentTable, table=True):
    """Assignment's copy of what an agreement says of outsourcing (from ``AgreementSaved``)."""

    __tablename__ = "agreement_outsourcing"

    agreement_id: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(max_length=64, index=True)
    status: str = Field(max_length=20)
    needs_approval: bool = False
    saved_at: datetime = Field(sa_column=_moment(False))


class AgencyPlacement(AssignmentTable, table=True):
    """A case placed with an agency until its term ends or it is recalled; where the
    case's agreement requires it, first waiting for an approval (``approval_id``)."""

    __tablename__ = "agency_placements"
    __table_args__ = (
        Index("ix_agency_placements_case", "case_id", "status"),
        Index("ix_agency_placements_due", "status", "until"),
        Index("ix_agency_placements_approval", "approval_id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=36)
    agency_id: str = Field(max_length=64)
    collector_id: str = Field(max_length=36)
    previous_collector_id: str | None = Field(default=None, max_length=36)
    placed_by: str = Field(max_length=36)
    placed_at: datetime = Field(sa_column=_moment(False))
    until: datetime = Field(sa_column=_moment(False))
    status: str = Field(default="placed", max_length=10)
    recalled_at: datetime | None = Field(default=None, sa_column=_moment())
    recalled_by: str | None = Field(default=None, max_length=36)
    recall_reason: str | None = Field(default=None, max_length=500)
    approval_id: str | None = Field(default=None, max_length=36)
