"""What a consuming service dead-lettered, kept in its own database so an operator can see
it, replay it after a fix, or discard it with a reason.

A dead letter is recorded in the same transaction as the rest of its batch, so it exists
exactly when the consumer moves past it. Replaying runs the kept bytes through the same
`BatchApplier` the consumer uses: the inbox makes a replay idempotent (an event applied
once is a duplicate the second time), and a replay that fails again leaves the letter
waiting with the new error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import Gauge
from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from shared.db import dialect_insert

WAITING, REPLAYED, DISCARDED = "waiting", "replayed", "discarded"

DEAD_LETTERS_WAITING = Gauge(
    "dead_letters_waiting", "Dead-lettered events neither replayed nor discarded", ["service"]
)


def fingerprint(topic: str, partition: int, offset: int, body: bytes) -> str:
    digest = hashlib.sha256(f"{topic}\x00{partition}\x00{offset}\x00".encode())
    digest.update(body)
    return digest.hexdigest()


def record(session: Session, table: Table, rows: list[dict[str, Any]], now: datetime) -> None:
    """Keep rejected deliveries (once each, however often their batch is redelivered)."""
    if not rows:
        return
    values = [
        {
            **row,
            "fingerprint": fingerprint(row["topic"], row["partition"], row["offset"], row["body"]),
            "dead_lettered_at": now,
            "status": WAITING,
            "replays": 0,
        }
        for row in rows
    ]
    statement = dialect_insert(session)(table).on_conflict_do_nothing(
        index_elements=["fingerprint"]
    )
    session.execute(statement, values)


def waiting(session: Session, table: Table) -> int:
    return session.execute(
        select(func.count()).select_from(table).where(table.c.status == WAITING)
    ).scalar_one()


def publish_gauge(session: Session, table: Table, service: str) -> int:
    count = waiting(session, table)
    DEAD_LETTERS_WAITING.labels(service).set(count)
    return count


@dataclass(frozen=True)
class Filter:
    status: str | None = None
    event_type: str | None = None
    topic: str | None = None
    after_id: int | None = None
    limit: int = 100


def page(session: Session, table: Table, chosen: Filter) -> list[Any]:
    """Oldest first, keyset-paged by id (``after_id``: the last id of the page before)."""
    c = table.c
    query = select(table).order_by(c.id).limit(chosen.limit)
    if chosen.status is not None:
        query = query.where(c.status == chosen.status)
    if chosen.event_type is not None:
        query = query.where(c.event_type == chosen.event_type)
    if chosen.topic is not None:
        query = query.where(c.topic == chosen.topic)
    if chosen.after_id is not None:
        query = query.where(c.id > chosen.after_id)
    return list(session.execute(query))


def resolve(
    session: Session,
    table: Table,
    letter_id: int,
    status: str,
    who: str,
    now: datetime,
    reason: str | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "resolved_at": now, "resolved_by": who}
    if reason is not None:
        values["reason"] = reason
    if status == REPLAYED:
        values["replays"] = table.c.replays + 1
    session.execute(update(table).where(table.c.id == letter_id).values(**values))


def failed_again(session: Session, table: Table, letter_id: int, error: str) -> None:
    session.execute(
        update(table)
        .where(table.c.id == letter_id)
        .values(error=error, replays=table.c.replays + 1)
    )
