"""The emergency channel's tables: each agreement's endpoint and chosen events, each
client's signing secrets, and the notification outbox with its delivery log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field

from services.intake.models import IntakeTable


def _when(nullable: bool = False) -> datetime | None:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(DateTime(timezone=True), nullable=nullable),
    )


class EmergencyEndpoint(IntakeTable, table=True):
    """Where an agreement's emergency notifications go, and which events the bank chose."""

    __tablename__ = "emergency_endpoints"

    agreement_id: str = Field(primary_key=True, foreign_key="agreements.id", max_length=36)
    client_id: str = Field(index=True, max_length=64)
    url: str = Field(max_length=500)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    updated_at: datetime = _when()  # type: ignore[assignment]


class SigningSecret(IntakeTable, table=True):
    """A client's webhook secret. The raw secret is kept (HMAC needs it); a rotated one
    stays valid until ``retires_at``."""

    __tablename__ = "emergency_secrets"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    secret: str = Field(max_length=80)
    created_at: datetime = _when()  # type: ignore[assignment]
    retires_at: datetime | None = _when(nullable=True)


class EmergencyNotification(IntakeTable, table=True):
    """One event for one agreement's endpoint, with its delivery state: ``pending`` until
    the bank answers 2xx (``delivered``) or 24 hours of retries ran out (``failed``)."""

    __tablename__ = "emergency_notifications"
    __table_args__ = (
        UniqueConstraint("agreement_id", "event_id", name="uq_emergency_agreement_event"),
        Index("ix_emergency_due", "state", "next_attempt_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    event_id: str = Field(max_length=36)
    event_type: str = Field(max_length=64)
    agreement_id: str = Field(index=True, max_length=36)
    client_id: str = Field(max_length=64)
    case_id: str | None = Field(default=None, max_length=36)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _when()  # type: ignore[assignment]
    state: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_attempt_at: datetime | None = _when(nullable=True)
    delivered_at: datetime | None = _when(nullable=True)
    failed_at: datetime | None = _when(nullable=True)
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=300)


class DeliveryAttempt(IntakeTable, table=True):
    """One try at delivering a notification: when, the answer's status, how long it took."""

    __tablename__ = "emergency_deliveries"
    __table_args__ = (Index("ix_emergency_deliveries_agreement", "agreement_id", "id"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    notification_id: str = Field(index=True, max_length=36)
    agreement_id: str = Field(max_length=36)
    at: datetime = _when()  # type: ignore[assignment]
    status_code: int | None = None
    latency_ms: int
    error: str | None = Field(default=None, max_length=300)
