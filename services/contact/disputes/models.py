"""Disputes of the debt, raised from the contact log and resolved by a supervisor."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.contact.models import ContactTable, utc_column


class Dispute(ContactTable, table=True):
    """A dispute of the debt (or a fraud or stolen-card claim); contact waits until resolved."""

    __tablename__ = "disputes"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    attempt_id: str | None = Field(default=None, max_length=36)
    kind: str = Field(max_length=20)
    reason: str = Field(max_length=500)
    evidence: str | None = Field(default=None, max_length=500)
    raised_at: datetime = Field(sa_column=utc_column())
    resolved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    resolution: str | None = Field(default=None, max_length=500)
    outcome: str | None = Field(default=None, max_length=20)
    resolved_by: str | None = Field(default=None, max_length=64)
    resolution_evidence: str | None = Field(default=None, max_length=500)
