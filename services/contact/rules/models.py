"""Every contact-rule decision, kept for audit: checks asked for and attempts logged."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.contact.models import ContactTable, utc_column


class ContactDecision(ContactTable, table=True):
    __tablename__ = "contact_decisions"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    actor_id: str = Field(max_length=64)
    purpose: str = Field(max_length=10)
    profile: str = Field(max_length=40)
    channel: str = Field(max_length=20)
    direction: str = Field(max_length=10)
    party: str = Field(max_length=20)
    allowed: bool
    rules: str = Field(default="", max_length=300)
    override_reason: str | None = Field(default=None, max_length=500)
    attempt_id: str | None = Field(default=None, max_length=36)
    decided_at: datetime = Field(sa_column=utc_column())
