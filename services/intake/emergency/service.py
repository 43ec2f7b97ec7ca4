"""Use cases of the emergency channel: set an agreement's endpoint and events, rotate a
client's secret, and turn events into notifications in the outbox. Never commits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from services.intake.emergency import domain, store
from services.intake.emergency.models import EmergencyEndpoint, SigningSecret
from services.intake.emergency.signing import new_secret
from shared.errors import ProblemError
from shared.events import Envelope


def save_endpoint(
    session: Session,
    now: datetime,
    client_id: str,
    agreement_id: str,
    url: str,
    topics: Sequence[str],
    *,
    production: bool,
) -> EmergencyEndpoint:
    problem = domain.endpoint_problem(url, production=production)
    if problem is not None:
        raise ProblemError(422, problem)
    found = store.endpoint(session, agreement_id) or EmergencyEndpoint(
        agreement_id=agreement_id, client_id=client_id, url=url, updated_at=now
    )
    found.url, found.topics, found.updated_at, found.active = url, sorted(set(topics)), now, True
    session.add(found)
    if not store.secrets_in_force(session, client_id, now):
        session.add(_secret(client_id, now))
    session.flush()
    return found


def choose_topics(
    session: Session, now: datetime, found: EmergencyEndpoint, topics: Sequence[str]
) -> None:
    found.topics, found.updated_at = sorted(set(topics)), now
    session.add(found)
    session.flush()


def rotate_secret(
    session: Session, now: datetime, client_id: str, grace: timedelta
) -> SigningSecret:
    """A new secret signs from now on; the ones before it stay valid for ``grace``."""
    store.retire_current(session, client_id, now + grace)
    fresh = _secret(client_id, now)
    session.add(fresh)
    session.flush()
    return fresh


def _secret(client_id: str, now: datetime) -> SigningSecret:
    return SigningSecret(
        id=str(uuid.uuid4()), client_id=client_id, secret=new_secret(), created_at=now
    )


def body_of(
    event: Envelope[Any], client_id: str, agreement_id: str, account_ref: str | None
) -> str:
    """What the bank receives: the event's id, type and time, whose case, and its data."""
    return json.dumps(
        {
            "id": str(event.event_id),
            "type": event.type,
            "version": event.version,
            "occurred_at": event.occurred_at.isoformat(),
            "client_id": client_id,
            "agreement_id": agreement_id,
            "case_id": event.case_id,
            "account_ref": account_ref,
            "data": event.payload.model_dump(mode="json"),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def notify(session: Session, now: datetime, events: Sequence[Envelope[Any]]) -> int:
    """Put each case event its agreement's bank chose into the outbox; returns how many."""
    cases = store.case_agreements(session, [e.case_id for e in events if e.case_id])
    rows: list[dict[str, Any]] = []
    endpoints: dict[str, EmergencyEndpoint | None] = {}
    for event in events:
        where = cases.get(event.case_id or "")
        if where is None:
            continue
        client_id, agreement_id, account_ref = where
        if agreement_id not in endpoints:
            endpoints[agreement_id] = store.endpoint(session, agreement_id)
        found = endpoints[agreement_id]
        if found is None or not found.active:
            continue
        if domain.wanted(event.type, frozenset(found.topics), _incident_kind(event)):
            rows.append(_row(event, now, client_id, agreement_id, account_ref))
    store.add_notifications(session, rows)
    return len(rows)


def notify_client(session: Session, now: datetime, client_id: str, event: Envelope[Any]) -> int:
    """An event about a client rather than one case (an incident): every agreement's
    endpoint of the client that takes it."""
    rows = [
        _row(event, now, client_id, found.agreement_id, None)
        for found in store.endpoints_of_client(session, client_id)
        if domain.wanted(event.type, frozenset(found.topics), _incident_kind(event))
    ]
    store.add_notifications(session, rows)
    return len(rows)


def _incident_kind(event: Envelope[Any]) -> str | None:
    return getattr(event.payload, "kind", None) if event.type == "IncidentReported" else None


def _row(
    event: Envelope[Any], now: datetime, client_id: str, agreement_id: str, account_ref: str | None
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "event_id": str(event.event_id),
        "event_type": event.type,
        "agreement_id": agreement_id,
        "client_id": client_id,
        "case_id": event.case_id,
        "body": body_of(event, client_id, agreement_id, account_ref),
        "created_at": now,
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": now,
    }
