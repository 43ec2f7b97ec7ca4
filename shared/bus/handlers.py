"""Subscriptions, declared once: event class -> the handlers that run for it, in order.

A service's table is the single source of what it consumes; the topics it subscribes to
are derived from it (each event's producer owns one topic), as cosmicpython's
``EVENT_HANDLERS`` and eShop's ``AddSubscription<Event, Handler>()`` do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from shared.bus.work import UnitOfWork
from shared.events import Envelope, Payload, topic_for

Handler = Callable[[UnitOfWork, Envelope[Any]], None]
HandlerTable = Mapping[type[Payload], Sequence[Handler]]


def merge_tables(*tables: HandlerTable) -> dict[type[Payload], list[Handler]]:
    """One table from several; for the same event, handlers run in the order given."""
    merged: dict[type[Payload], list[Handler]] = {}
    for table in tables:
        for payload_type, handlers in table.items():
            merged.setdefault(payload_type, []).extend(handlers)
    return merged


def by_type_name(table: HandlerTable) -> dict[str, tuple[Handler, ...]]:
    return {payload_type.event_type: tuple(handlers) for payload_type, handlers in table.items()}


def subscribed_topics(table: HandlerTable) -> tuple[str, ...]:
    """The topics that carry the events of ``table``, in a stable order."""
    return tuple(sorted({topic_for(payload_type.producer) for payload_type in table}))
