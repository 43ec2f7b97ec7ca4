"""Tables of the contact log: attempts, and what objections leave behind (payment claims,
follow-ups; disputes and numbers not to call are their features' own)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

from services.contact.models import ContactTable, utc_column
from shared.money import Money


class ContactAttempt(ContactTable, table=True):
    __tablename__ = "contact_attempts"
    __table_args__ = (
        Index("ix_contact_attempts_case_time", "case_id", "started_at"),
        Index("ix_contact_attempts_debtor_time", "debtor_key", "started_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(max_length=36)
    collector_id: str = Field(max_length=36)
    channel: str = Field(max_length=20)
    direction: str = Field(max_length=10)
    party: str = Field(max_length=20)
    party_name: str | None = Field(default=None, max_length=100)
    used: str | None = Field(default=None, max_length=300)
    started_at: datetime = Field(sa_column=utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    outcome: str = Field(max_length=40)
    conversation: bool = False
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    arrears_reason: str | None = Field(default=None, max_length=40)
    excuse: str | None = Field(default=None, max_length=500)
    next_action: str | None = Field(default=None, max_length=200)
    next_action_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    first_attempt: bool = False
    first_contact_late: bool = False
    late_reason: str | None = Field(default=None, max_length=500)
    overridden_rules: str | None = Field(default=None, max_length=200)
    override_reason: str | None = Field(default=None, max_length=500)
    logged_at: datetime = Field(sa_column=utc_column())
    late_entry: bool = False
    late_entry_reason: str | None = Field(default=None, max_length=500)
    debtor_key: str | None = Field(default=None, max_length=64)
    recording_sha256: str | None = Field(default=None, max_length=64)


class PaymentClaim(ContactTable, table=True):
    """An 'already paid' answer, checked against the payments the client reports."""

    __tablename__ = "payment_claims"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    attempt_id: str = Field(max_length=36)
    paid_on: date
    amount: Decimal = Field(sa_column=Column(Money(), nullable=False))
    bank: str = Field(max_length=100)
    payee: str = Field(max_length=100)
    slip_ref: str | None = Field(default=None, max_length=200)
    recheck_due_at: datetime = Field(sa_column=utc_column())
    matched_transaction_ref: str | None = Field(default=None, max_length=64)


class FollowUp(ContactTable, table=True):
    """Work an attempt leaves for later: a payment re-check, a statement to send, a call back."""

    __tablename__ = "follow_ups"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    attempt_id: str = Field(max_length=36)
    kind: str = Field(max_length=30)
    due_at: datetime = Field(sa_column=utc_column())
    due_estimated: bool = Field(
        default=False, description="Counted in working days on an estimated calendar year"
    )
    status: str = Field(default="open", max_length=20)
    detail: str | None = Field(default=None, max_length=500)
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
