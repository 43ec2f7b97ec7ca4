"""Visit orders from a phone collector's daily list to a field collector, through plan,
report, result and the supervisor's sign-off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field

from services.assignment.models import AssignmentTable


def _moment(nullable: bool = True) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable)


class FieldVisit(AssignmentTable, table=True):
    __tablename__ = "field_visits"
    __table_args__ = (
        Index("ix_field_visits_field", "field_collector_id", "status", "due_by"),
        Index("ix_field_visits_status_due", "status", "due_by"),
        Index("ix_field_visits_case", "case_id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=36)
    client_id: str = Field(max_length=64)
    list_date: date
    phone_collector_id: str = Field(max_length=36)
    field_collector_id: str = Field(max_length=36)
    supervisor_id: str | None = Field(default=None, max_length=36)
    team_id: str | None = Field(default=None, max_length=64)
    purpose: str = Field(default="", max_length=500)
    status: str = Field(max_length=12)
    ordered_at: datetime = Field(sa_column=_moment(False))
    due_by: datetime = Field(sa_column=_moment(False))
    due_estimated: bool = False
    planned_for: datetime | None = Field(default=None, sa_column=_moment())
    place: str | None = Field(default=None, max_length=300)
    people: str | None = Field(default=None, max_length=300)
    vehicle: str | None = Field(default=None, max_length=100)
    plan_filed_at: datetime | None = Field(default=None, sa_column=_moment())
    quiet_hours_allowed_for: datetime | None = Field(default=None, sa_column=_moment())
    quiet_hours_reason: str | None = Field(default=None, max_length=500)
    quiet_hours_allowed_by: str | None = Field(default=None, max_length=36)
    reported_at: datetime | None = Field(default=None, sa_column=_moment())
    visited_at: datetime | None = Field(default=None, sa_column=_moment())
    found: str | None = Field(default=None, max_length=2000)
    result: str | None = Field(default=None, max_length=2000)
    improper_conduct: str | None = Field(default=None, max_length=1000)
    completed_by: str | None = Field(default=None, max_length=36)
    completed_at: datetime | None = Field(default=None, sa_column=_moment())
    signed_off_by: str | None = Field(default=None, max_length=36)
    signed_off_at: datetime | None = Field(default=None, sa_column=_moment())
