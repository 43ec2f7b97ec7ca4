"""Delivery from the notification outbox: every few seconds the due notifications are
leased, posted to their endpoints signed with the client's secrets in force, and the
answer logged; a 2xx delivers, anything else is tried again with exponential backoff
until 24 hours have passed, then the notification is marked failed for admins."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from services.intake.emergency import domain, signing, store
from services.intake.emergency.models import DeliveryAttempt
from shared.clock import as_utc
from shared.db import Database
from shared.logging import get_logger

log = get_logger(__name__)
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: int
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, headers: dict[str, str], body: bytes, timeout: float) -> Answer:
    started = time.perf_counter()
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout)
        error = None if response.is_success else f"HTTP {response.status_code}"
        return Answer(response.status_code, _since(started), error)
    except httpx.HTTPError as exc:
        return Answer(None, _since(started), f"{type(exc).__name__}: {exc}"[:300])


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def deliver_due(db: Database, now: datetime, *, limit: int = 50, timeout: float = 10.0) -> int:
    """One round: deliver what is due at ``now``; returns how many were tried."""
    with db.transaction() as session:
        due = store.claim_due(session, now, now + LEASE, limit)
        targets = {r.agreement_id: store.endpoint(session, r.agreement_id) for r in due}
        keys = {r.client_id: store.secrets_in_force(session, r.client_id, now) for r in due}
    for row in due:
        target = targets[row.agreement_id]
        if target is None or not target.active or not keys[row.client_id]:
            answer = Answer(None, 0, "no active endpoint or secret for the agreement")
        else:
            body = row.body.encode()
            headers = signing.headers(keys[row.client_id], row.event_id, now, body)
            answer = post(target.url, headers, body, timeout)
        with db.transaction() as session:
            store.record_attempt(session, _attempt(row, now, answer), _outcome(row, now, answer))
        if not answer.delivered:
            log.warning(
                "emergency_delivery_failed",
                agreement_id=row.agreement_id,
                event_id=row.event_id,
                status=answer.status_code,
                error=answer.error,
            )
    return len(due)


def _attempt(row: Any, now: datetime, answer: Answer) -> DeliveryAttempt:
    return DeliveryAttempt(
        notification_id=row.id,
        agreement_id=row.agreement_id,
        at=now,
        status_code=answer.status_code,
        latency_ms=answer.latency_ms,
        error=answer.error,
    )


def _outcome(row: Any, now: datetime, answer: Answer) -> dict[str, Any]:
    attempts = row.attempts + 1
    seen = {"attempts": attempts, "last_status": answer.status_code, "last_error": answer.error}
    if answer.delivered:
        return seen | {"state": "delivered", "delivered_at": now, "next_attempt_at": None}
    retry = domain.next_attempt(as_utc(row.created_at), attempts, now)
    if retry is None:
        return seen | {"state": "failed", "failed_at": now, "next_attempt_at": None}
    return seen | {"next_attempt_at": retry}
