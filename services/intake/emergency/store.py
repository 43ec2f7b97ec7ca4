"""Every query of the emergency channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlmodel import Session

from services.intake.cases.models import Case
from services.intake.emergency.models import (
    DeliveryAttempt,
    EmergencyEndpoint,
    EmergencyNotification,
    SigningSecret,
)
from shared.db import upsert

NOTIFICATIONS = EmergencyNotification.__table__
ENDPOINTS = EmergencyEndpoint.__table__


def endpoint(session: Session, agreement_id: str) -> EmergencyEndpoint | None:
    return session.get(EmergencyEndpoint, agreement_id)


def endpoints_of_client(session: Session, client_id: str) -> list[EmergencyEndpoint]:
    query = select(EmergencyEndpoint).where(
        EmergencyEndpoint.client_id == client_id, EmergencyEndpoint.active.is_(True)
    )
    return list(session.execute(query).scalars())


def case_agreements(session: Session, case_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """case id → (client, agreement, account reference) for the cases filed under one."""
    found: dict[str, tuple[str, str, str]] = {}
    for start in range(0, len(case_ids), 500):
        rows = session.execute(
            select(Case.id, Case.client_id, Case.agreement_id, Case.account_ref).where(
                Case.id.in_(case_ids[start : start + 500]), Case.agreement_id.is_not(None)
            )
        )
        found.update((r.id, (r.client_id, r.agreement_id, r.account_ref)) for r in rows)
    return found


def secrets_in_force(session: Session, client_id: str, now: datetime) -> list[str]:
    """The client's secrets still valid, newest first."""
    query = (
        select(SigningSecret.secret)
        .where(
            SigningSecret.client_id == client_id,
            or_(SigningSecret.retires_at.is_(None), SigningSecret.retires_at > now),
        )
        .order_by(SigningSecret.created_at.desc())
    )
    return list(session.execute(query).scalars())


def retire_current(session: Session, client_id: str, at: datetime) -> None:
    session.execute(
        update(SigningSecret)
        .where(SigningSecret.client_id == client_id, SigningSecret.retires_at.is_(None))
        .values(retires_at=at)
    )


def add_notifications(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Once per agreement and event: a redelivered event adds nothing."""
    upsert(session, NOTIFICATIONS, rows, key=["agreement_id", "event_id"])


def claim_due(session: Session, now: datetime, lease_until: datetime, limit: int) -> list[Any]:
    """Pending notifications whose time has come, leased so no other replica takes them."""
    query = (
        select(NOTIFICATIONS)
        .where(NOTIFICATIONS.c.state == "pending", NOTIFICATIONS.c.next_attempt_at <= now)
        .order_by(NOTIFICATIONS.c.next_attempt_at, NOTIFICATIONS.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.execute(query))
    if rows:
        session.execute(
            update(NOTIFICATIONS)
            .where(NOTIFICATIONS.c.id.in_([r.id for r in rows]))
            .values(next_attempt_at=lease_until)
        )
    return rows


def record_attempt(session: Session, attempt: DeliveryAttempt, changes: dict[str, Any]) -> None:
    session.add(attempt)
    session.execute(
        update(NOTIFICATIONS).where(NOTIFICATIONS.c.id == attempt.notification_id).values(changes)
    )


def notifications(
    session: Session,
    *,
    agreement_id: str | None = None,
    state: str | None = None,
    limit: int = 100,
) -> list[EmergencyNotification]:
    query = select(EmergencyNotification)
    if agreement_id is not None:
        query = query.where(EmergencyNotification.agreement_id == agreement_id)
    if state is not None:
        query = query.where(EmergencyNotification.state == state)
    query = query.order_by(EmergencyNotification.created_at.desc()).limit(limit)
    return list(session.execute(query).scalars())


def attempts_of(session: Session, notification_ids: Sequence[str]) -> list[DeliveryAttempt]:
    if not notification_ids:
        return []
    query = (
        select(DeliveryAttempt)
        .where(DeliveryAttempt.notification_id.in_(notification_ids))
        .order_by(DeliveryAttempt.id)
    )
    return list(session.execute(query).scalars())
