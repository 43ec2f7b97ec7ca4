"""Building, serialising and reading events: the only way events are made or parsed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.events.catalog import ALL_PAYLOADS
from shared.events.envelope import Envelope, Payload, RawEnvelope

EVENT_TYPES: dict[str, type[Payload]] = {p.event_type: p for p in ALL_PAYLOADS}
PRODUCERS: tuple[str, ...] = ("intake", "assignment", "contact", "letters")


class UnknownEventType(ValueError):
    pass


def topic_for(producer: str) -> str:
    """Each producing service owns one topic; events are keyed by case for per-case order."""
    return f"{producer}.events"


def dead_letter_topic(consumer: str) -> str:
    return f"{consumer}.dead-letter"


def new_event(
    payload: Payload,
    *,
    occurred_at: datetime,
    case_id: str | None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Envelope[Any]:
    return Envelope[type(payload)](  # type: ignore[misc]
        event_id=uuid.uuid4(),
        type=payload.event_type,
        version=payload.event_version,
        occurred_at=occurred_at,
        producer=payload.producer,
        correlation_id=correlation_id,
        causation_id=causation_id,
        case_id=case_id,
        payload=payload,
    )


def encode(event: Envelope[Any]) -> bytes:
    return event.model_dump_json().encode()


def decode(raw: bytes | str) -> Envelope[Any]:
    """Parse an event into its typed envelope; raises on malformed or unknown events."""
    envelope = RawEnvelope.model_validate_json(raw)
    payload_type = EVENT_TYPES.get(envelope.type)
    if payload_type is None:
        raise UnknownEventType(f"unknown event type {envelope.type!r}")
    return Envelope[payload_type].model_validate_json(raw)  # type: ignore[valid-type]


def peek_type(raw: bytes | str) -> RawEnvelope:
    return RawEnvelope.model_validate_json(raw)
