"""An event's type and version are read before the rest of it is built."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from shared.events import EventHead, decode, encode, new_event, peek_type
from shared.events.catalog import CaseAssigned


def assigned() -> bytes:
    payload = CaseAssigned(client_id="B1", collector_id="c1", assigned_at=datetime.now(UTC))
    return encode(new_event(payload, occurred_at=datetime.now(UTC), case_id=str(uuid.uuid4())))


def test_the_head_of_an_envelope_as_the_platform_writes_it() -> None:
    assert peek_type(assigned()) == EventHead("CaseAssigned", CaseAssigned.event_version)


def test_an_envelope_written_otherwise_is_read_as_json() -> None:
    assert peek_type(b'{"version": 3, "type": "CaseAssigned", "x": [1]}') == EventHead(
        "CaseAssigned", 3
    )
    assert peek_type('{"type":"CaseAssigned"}') == EventHead("CaseAssigned", 1)


def test_a_body_that_contradicts_its_head_is_refused() -> None:
    raw = assigned()
    contradicting = raw[:-1] + b',"type":"CaseImported"}'

    with pytest.raises(ValueError, match="at its head"):
        decode(contradicting)
