"""Writing events: into the outbox, inside the caller's own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from shared.bus.tables import BusTables
from shared.events import Envelope, encode, topic_for


class Outbox:
    """Adds events to the outbox in the same transaction as the state change they report."""

    def __init__(self, tables: BusTables) -> None:
        self.table = tables.outbox

    def add(self, session: Session, event: Envelope[Any]) -> None:
        self.add_all(session, [event])

    def add_all(self, session: Session, events: Iterable[Envelope[Any]]) -> None:
        rows = [
            {
                "event_id": str(e.event_id),
                "event_type": e.type,
                "topic": topic_for(e.producer),
                "message_key": e.case_id,
                "body": encode(e).decode(),
                "created_at": e.occurred_at,
                "attempts": 0,
            }
            for e in events
        ]
        if rows:
            session.execute(self.table.insert(), rows)
