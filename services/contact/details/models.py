"""Phones and addresses per party of a case, with how sure we are of them and where they
came from, and the numbers not to call again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from services.contact.models import ContactTable, utc_column


class ContactDetail(ContactTable, table=True):
    __tablename__ = "contact_details"
    __table_args__ = (UniqueConstraint("case_id", "kind", "value", name="uq_contact_details"),)

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    party: str = Field(max_length=20)
    party_name: str | None = Field(default=None, max_length=100)
    kind: str = Field(max_length=10)
    label: str | None = Field(default=None, max_length=20)
    value: str = Field(max_length=300)
    status: str = Field(default="unverified", max_length=12)
    source: str = Field(max_length=20)
    note: str | None = Field(default=None, max_length=500)
    added_by: str | None = Field(default=None, max_length=64)
    added_at: datetime = Field(sa_column=utc_column())
    changed_at: datetime = Field(sa_column=utc_column())


class BarredNumber(ContactTable, table=True):
    """A number not to call again on this case (wrong number, or asked not to be called)."""

    __tablename__ = "barred_numbers"

    case_id: str = Field(primary_key=True, max_length=36)
    number: str = Field(primary_key=True, max_length=40)
    reason: str = Field(max_length=40)
    barred_at: datetime = Field(sa_column=utc_column())
