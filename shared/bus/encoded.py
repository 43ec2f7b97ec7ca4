"""Events serialised without building a pydantic model per event, for bulk producers.

A service that writes thousands of events in one transaction (intake importing a file)
builds each payload as plain data in the model's field order and serialises the envelope
with pydantic-core's own JSON encoder, so the body is byte for byte what
``shared.events.encode`` makes from the model (the producer's tests compare the two).
``Outbox.add_encoded`` writes them in the caller's transaction, like any other event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_core import to_json


@dataclass(frozen=True)
class EncodedEvent:
    event_id: str
    event_type: str
    producer: str
    case_id: str | None
    occurred_at: datetime
    body: str


def encode_envelope(
    payload: dict[str, Any],
    *,
    event_type: str,
    producer: str,
    occurred_at: datetime,
    case_id: str | None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    version: int = 1,
) -> EncodedEvent:
    """The envelope around ``payload`` (plain data, in the payload model's field order)."""
    event_id = str(uuid.uuid4())
    envelope = {
        "event_id": event_id,
        "type": event_type,
        "version": version,
        "occurred_at": occurred_at,
        "producer": producer,
        "correlation_id": correlation_id,
        "causation_id": causation_id,
        "case_id": case_id,
        "payload": payload,
    }
    body = to_json(envelope).decode()
    return EncodedEvent(event_id, event_type, producer, case_id, occurred_at, body)
