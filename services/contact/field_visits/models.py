"""Visit orders from assignment, and the report the field collector files against each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from services.contact.models import ContactTable, utc_column


class FieldVisit(ContactTable, table=True):
    __tablename__ = "field_visits"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    field_collector_id: str = Field(index=True, max_length=36)
    ordered_by: str = Field(max_length=64)
    due_by: datetime = Field(sa_column=utc_column())
    due_estimated: bool = Field(
        default=False, description="Assignment counted due_by on an estimated calendar year"
    )
    ordered_at: datetime = Field(sa_column=utc_column())
    status: str = Field(default="ordered", max_length=12)
    visited_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    place: str | None = Field(default=None, max_length=300)
    people_met: str | None = Field(default=None, max_length=300)
    found: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    outcome: str | None = Field(default=None, max_length=40)
    recording_sha256: str | None = Field(default=None, max_length=64)
    attempt_id: str | None = Field(default=None, max_length=36)
    rule_breaches: str | None = Field(default=None, max_length=300)
    reported_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
