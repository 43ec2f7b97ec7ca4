"""Building, serialising and reading events: the only way events are made or parsed.

The registry knows every event by type *and* version. Each type has one current payload
class; an older version is read by upcasting its payload, one version at a time, through
the functions in ``upcasters.py`` (eventsourcing's ``upcast_v1_v2`` habit). A
version newer than the one this code knows cannot be read and is refused, so the
consumer dead-letters it instead of guessing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from shared.events.catalog import ALL_PAYLOADS
from shared.events.envelope import Envelope, Payload, RawEnvelope
from shared.events.upcasters import UPCASTERS

EVENT_TYPES: dict[str, type[Payload]] = {p.event_type: p for p in ALL_PAYLOADS}
PRODUCERS: tuple[str, ...] = ("intake", "assignment", "contact", "letters", "reporting")


class UnknownEventType(ValueError):
    pass


class UnknownEventVersion(ValueError):
    """A version this code cannot read: newer than it knows, or an older one with no upcaster."""


def known_versions() -> dict[tuple[str, int], type[Payload]]:
    """Every (type, version) this code reads, with the payload class it is read into."""
    known: dict[tuple[str, int], type[Payload]] = {}
    for name, payload_type in EVENT_TYPES.items():
        for version in range(1, payload_type.event_version + 1):
            if version == payload_type.event_version or (name, version) in UPCASTERS:
                known[(name, version)] = payload_type
    return known


def topic_for(producer: str) -> str:
    """Each producing service owns one topic; events are keyed by case for per-case order."""
    return f"{producer}.events"


def dead_letter_topic(consumer: str) -> str:
    return f"{consumer}.dead-letter"


def _envelope_of(payload_type: type[Payload]) -> type[Envelope[Any]]:
    """The envelope class parametrised by ``payload_type`` (pydantic makes it at run time)."""
    made: type[Envelope[Any]] = Envelope[payload_type]  # type: ignore[valid-type]
    return made


_CURRENT: dict[str, type[Envelope[Any]]] = {
    name: _envelope_of(payload_type) for name, payload_type in EVENT_TYPES.items()
}


def new_event(
    payload: Payload,
    *,
    occurred_at: datetime,
    case_id: str | None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Envelope[Any]:
    envelope = _CURRENT.get(payload.event_type)
    if envelope is None or EVENT_TYPES[payload.event_type] is not type(payload):
        envelope = _envelope_of(type(payload))
    return envelope(
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


@dataclass(frozen=True, slots=True)
class EventHead:
    """An event's type and version, read before anything else of it is built."""

    type: str
    version: int = 1


_READ_HEAD = TypeAdapter(EventHead)


def decode(raw: bytes | str, peeked: EventHead | None = None) -> Envelope[Any]:
    """Parse an event into its typed envelope at the current version of its type.

    Raises on malformed events, unknown types and versions it cannot read. ``peeked``
    is what :func:`peek_type` already read of the same bytes. An event at its type's
    current version is parsed once, straight into its typed envelope; only an older
    version is read as plain data first, to be upcast.
    """
    head = peeked or peek_type(raw)
    payload_type = EVENT_TYPES.get(head.type)
    if payload_type is None:
        raise UnknownEventType(f"unknown event type {head.type!r}")
    current = payload_type.event_version
    if head.version == current:
        event = _CURRENT[head.type].model_validate_json(raw)
        if (event.type, event.version) != (head.type, head.version):
            raise ValueError(
                f"{head.type} v{head.version} at its head, {event.type} v{event.version} "
                "in its body"
            )
        return event
    if head.version > current:
        raise UnknownEventVersion(
            f"{head.type} version {head.version} is newer than the version this "
            f"service reads ({current}); upgrade the consumer"
        )
    envelope = RawEnvelope.model_validate_json(raw)
    payload = dict(envelope.payload)
    for version in range(envelope.version, current):
        upcast = UPCASTERS.get((envelope.type, version))
        if upcast is None:
            raise UnknownEventVersion(
                f"{envelope.type} version {envelope.version} cannot be read: "
                f"no upcaster from version {version}"
            )
        payload = upcast(payload)
    data = envelope.model_dump(exclude={"payload"})
    return Envelope[payload_type].model_validate(  # type: ignore[valid-type]
        {**data, "version": current, "payload": payload}
    )


# How every envelope the platform writes begins (the model's field order, compact JSON).
_HEAD = re.compile(
    rb'\{"event_id":"[0-9a-f-]{36}","type":"([A-Za-z0-9_]{1,64})","version":([0-9]{1,6}),'
)


def peek_type(raw: bytes | str) -> EventHead:
    """The type and version only, read off the front of an envelope as the platform
    writes it; anything written otherwise is scanned as JSON, not built."""
    found = _HEAD.match(raw) if isinstance(raw, bytes) else None
    if found is None:
        return _READ_HEAD.validate_json(raw)
    return EventHead(found[1].decode(), int(found[2]))
