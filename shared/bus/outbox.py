"""Writing events: into the outbox, inside the caller's own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from shared.bus.encoded import EncodedEvent
from shared.bus.tables import BusTables
from shared.db import execute_many
from shared.events import Envelope, encode, topic_for


class Outbox:
    """Adds events to the outbox in the same transaction as the state change they report."""

    def __init__(self, tables: BusTables) -> None:
        self.table = tables.outbox

    def add(self, session: Session, event: Envelope[Any]) -> None:
        self.add_all(session, [event])

    def add_all(self, session: Session, events: Iterable[Envelope[Any]]) -> None:
        self.add_encoded(
            session,
            [
                EncodedEvent(
                    str(e.event_id),
                    e.type,
                    e.producer,
                    e.case_id,
                    e.occurred_at,
                    encode(e).decode(),
                )
                for e in events
            ],
        )

    def add_encoded(self, session: Session, events: Sequence[EncodedEvent]) -> None:
        """Events already serialised (bulk producers build them without models)."""
        if events:
            execute_many(
                session,
                self.table.insert(),
                [
                    {
                        "event_id": e.event_id,
                        "event_type": e.event_type,
                        "topic": topic_for(e.producer),
                        "message_key": e.case_id,
                        "body": e.body,
                        "created_at": e.occurred_at,
                        "attempts": 0,
                    }
                    for e in events
                ],
            )
