"""Subscriptions, declared once: event class -> the handlers that run for it, in order.

A service's table is the single source of what it consumes; the topics it subscribes to
are derived from it (each event's producer owns one topic), as cosmicpython's
``EVENT_HANDLERS`` and eShop's ``AddSubscription<Event, Handler>()`` do.

A handler takes one event with its unit of work. A handler wrapped in :func:`batched`
takes a run of consecutive events of its type at once — each with its own unit of work —
so it can write with set-based statements; the consumer hands it runs of one event when
it has to find which event of a batch fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from shared.bus.work import UnitOfWork
from shared.events import Envelope, Payload, topic_for

P = TypeVar("P", bound=Payload)

Handled = tuple[UnitOfWork, Envelope[P]]
"""One delivered event with its own unit of work; ``Handled[CaseImported]`` types the
payload, bare ``Handled`` is any event."""

Handler = Callable[[UnitOfWork, Envelope[P]], None]
"""A handler of one event at a time; ``Handler[CaseImported]`` sees a ``CaseImported``."""


@dataclass(frozen=True)
class Batched(Generic[P]):
    handle: Callable[[Sequence[Handled[P]]], None]

    @property
    def name(self) -> str:
        return getattr(self.handle, "__qualname__", repr(self.handle))


def batched(handle: Callable[[Sequence[Handled[P]]], None]) -> Batched[P]:
    """Mark a handler that takes ``[(unit_of_work, event), ...]`` in delivery order; the
    payload type it names (``Sequence[Handled[CaseImported]]``) is the one it sees."""
    return Batched(handle)


if TYPE_CHECKING:
    AnyHandler = Handler[Any] | Batched[Any]
else:  # pydantic's Envelope[P] is no typing generic: the aliases subscript in annotations only
    AnyHandler = Handler | Batched
HandlerTable = Mapping[type[Payload], Sequence[AnyHandler]]


def by_type_name(table: HandlerTable) -> dict[str, tuple[AnyHandler, ...]]:
    return {payload_type.event_type: tuple(handlers) for payload_type, handlers in table.items()}


def subscribed_topics(table: HandlerTable) -> tuple[str, ...]:
    """The topics that carry the events of ``table``, in a stable order."""
    return tuple(sorted({topic_for(payload_type.producer) for payload_type in table}))
