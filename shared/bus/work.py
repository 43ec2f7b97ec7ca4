"""A unit of work: the session, the clock reading and the events to emit with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shared.bus.outbox import Outbox
from shared.events import Envelope, Payload, new_event


@dataclass
class UnitOfWork:
    """Everything a use case needs to change state and report it, in one transaction.

    The boundary that created it (request dependency or consumer) commits; use cases
    never do. ``emit`` collects events; the boundary writes them to the outbox with one
    multi-row insert just before it commits, in the same transaction.
    """

    session: Session
    now: datetime
    outbox: Outbox
    correlation_id: str | None = None
    causation_id: str | None = None
    emitted: list[Envelope[Any]] = field(default_factory=list)
    _unwritten: list[Envelope[Any]] = field(default_factory=list, repr=False)

    def emit(self, payload: Payload, *, case_id: str | None) -> Envelope[Any]:
        event = new_event(
            payload,
            occurred_at=self.now,
            case_id=case_id,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
        )
        self._unwritten.append(event)
        self.emitted.append(event)
        return event

    def write_events(self) -> None:
        """Put the emitted events in the outbox; the boundary calls it before committing."""
        if self._unwritten:
            self.outbox.add_all(self.session, self._unwritten)
            self._unwritten.clear()
