"""Event contracts: the envelope, every payload, and how they are encoded."""

from shared.events.catalog import *  # noqa: F403
from shared.events.envelope import Envelope, Payload, RawEnvelope
from shared.events.registry import (
    EVENT_TYPES,
    PRODUCERS,
    EventHead,
    UnknownEventType,
    UnknownEventVersion,
    dead_letter_topic,
    decode,
    encode,
    known_versions,
    new_event,
    peek_type,
    topic_for,
)

__all__ = [
    "EVENT_TYPES",
    "PRODUCERS",
    "Envelope",
    "EventHead",
    "Payload",
    "RawEnvelope",
    "UnknownEventType",
    "UnknownEventVersion",
    "dead_letter_topic",
    "decode",
    "encode",
    "known_versions",
    "new_event",
    "peek_type",
    "topic_for",
]  # fmt: skip
