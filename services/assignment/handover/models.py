"""A collector's open cases handed over in one supervised record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field

from services.assignment.models import AssignmentTable


class Handover(AssignmentTable, table=True):
    __tablename__ = "handovers"

    id: str = Field(primary_key=True, max_length=36)
    from_collector_id: str = Field(max_length=36, index=True)
    reason: str = Field(max_length=16, description="left or on_leave")
    notes: str = Field(default="", max_length=2000)
    supervised_by: str | None = Field(default=None, max_length=36, description="The team lead")
    by_staff_id: str = Field(max_length=36)
    team_id: str | None = Field(default=None, max_length=64)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    moved: int = 0
    queued: int = 0
    visits_moved: int = Field(default=0, description="Open visit orders given to a successor")


class HandoverCase(AssignmentTable, table=True):
    """Where one case went: to a collector, or to the queue with the reason."""

    __tablename__ = "handover_cases"

    handover_id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(primary_key=True, max_length=36)
    to_collector_id: str | None = Field(default=None, max_length=36)
    queued_reason: str | None = Field(default=None, max_length=200)
