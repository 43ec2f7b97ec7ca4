"""The transaction a boundary opens, and the unit of work each use case or event gets in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from shared.bus.outbox import Outbox
from shared.events import Envelope, Payload, new_event

if TYPE_CHECKING:
    from shared.context import ServiceContext


@dataclass
class Transaction:
    """One database transaction and the events to write to the outbox with it.

    The boundary (request dependency or consumer) opens it and commits; use cases never
    do. Every event emitted in it, by one request or by the many events of a consumer
    batch, is written with one multi-row insert just before the commit. ``context`` is
    the service's (None only for a bare database, as in the bus's own tests).
    """

    session: Session
    now: datetime
    outbox: Outbox
    pending: list[Envelope[Any]] = field(default_factory=list)
    context: ServiceContext | None = None

    def write_events(self) -> int:
        """Put the emitted events in the outbox; returns how many. Call before committing."""
        count = len(self.pending)
        if count:
            self.outbox.add_all(self.session, self.pending)
            self.pending.clear()
        return count


@dataclass
class UnitOfWork:
    """What a use case needs to change state and report it: the transaction's session and
    clock reading, and ``emit``, which stamps each event with this work's correlation and
    causation ids (a consumer gives every event it handles its own unit of work)."""

    transaction: Transaction
    correlation_id: str | None = None
    causation_id: str | None = None
    emitted: list[Envelope[Any]] = field(default_factory=list)

    @property
    def session(self) -> Session:
        return self.transaction.session

    @property
    def now(self) -> datetime:
        return self.transaction.now

    @property
    def context(self) -> ServiceContext:
        """The service's settings and shared tables, for handlers that need more than
        the session."""
        context = self.transaction.context
        if context is None:
            raise LookupError("this unit of work runs outside a service: no ServiceContext")
        return context

    def emit(self, payload: Payload, *, case_id: str | None) -> Envelope[Any]:
        event = new_event(
            payload,
            occurred_at=self.now,
            case_id=case_id,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
        )
        self.transaction.pending.append(event)
        self.emitted.append(event)
        return event
