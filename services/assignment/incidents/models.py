"""Incidents and their log: actions, who was told and when, contacts while open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer
from sqlmodel import Field

from services.assignment.models import AssignmentTable


def _moment(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class Incident(AssignmentTable, table=True):
    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_status", "status", "occurred_at"),)

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=24)
    what: str = Field(max_length=2000)
    status: str = Field(default="open", max_length=12)
    case_id: str | None = Field(default=None, max_length=36)
    client_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    branch_id: str | None = Field(default=None, max_length=64)
    team_id: str | None = Field(default=None, max_length=64)
    visit_id: str | None = Field(default=None, max_length=36)
    raised_by: str = Field(max_length=36)
    raised_by_role: str = Field(max_length=24)
    occurred_at: datetime = Field(sa_column=_moment(False))
    raised_at: datetime = Field(sa_column=_moment(False))
    supervisor_id: str | None = Field(default=None, max_length=36)
    supervisor_told_at: datetime | None = Field(default=None, sa_column=_moment())
    resolved_at: datetime | None = Field(default=None, sa_column=_moment())
    resolved_by: str | None = Field(default=None, max_length=36)
    resolution: str | None = Field(default=None, max_length=2000)
    outcome: str | None = Field(default=None, max_length=500)


class IncidentEntry(AssignmentTable, table=True):
    __tablename__ = "incident_entries"
    __table_args__ = (Index("ix_incident_entries_incident", "incident_id", "id"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    incident_id: str = Field(max_length=36)
    entry: str = Field(max_length=12)
    at: datetime = Field(sa_column=_moment(False))
    by: str = Field(max_length=36)
    whom: str | None = Field(default=None, max_length=100)
    note: str = Field(max_length=2000)
    restore_from_backup: bool = False
