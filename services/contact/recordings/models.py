"""Recordings of calls and visits: which case, which attempt or visit, which bytes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.contact.models import ContactTable, utc_column


class Recording(ContactTable, table=True):
    """One audio file on one case, kept by its SHA-256 in two copies."""

    __tablename__ = "recordings"

    case_id: str = Field(primary_key=True, max_length=36)
    sha256: str = Field(primary_key=True, max_length=64)
    format: str = Field(max_length=10)
    size: int
    uploaded_by: str = Field(max_length=64)
    uploaded_at: datetime = Field(sa_column=utc_column())
    attempt_id: str | None = Field(default=None, max_length=36)
    visit_id: str | None = Field(default=None, max_length=36)
