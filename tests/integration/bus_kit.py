"""A tiny service for exercising the bus: one table the handlers change, plus outbox/inbox."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer
from sqlmodel import Field

from shared.bus.tables import bus_tables
from shared.db import Database, Migration, create_tables, migrate, service_model_base
from shared.events import Envelope, new_event
from shared.events.catalog import CaseAssigned

KitTable = service_model_base("BusKit")
KIT_BUS = bus_tables(KitTable.metadata)


class Tally(KitTable, table=True):
    __tablename__ = "tally"

    case_id: str = Field(primary_key=True)
    count: int = 0


class Receipt(KitTable, table=True):
    """A read model keyed by the event it came from: its own unique column, not the inbox."""

    __tablename__ = "receipt"

    id: int | None = Field(default=None, primary_key=True)
    source_event_id: str = Field(unique=True)
    case_id: str


KIT_MIGRATIONS = [
    Migration(
        1,
        "kit",
        create_tables(KitTable.metadata, "outbox", "inbox", "dead_letters", "tally", "receipt"),
    )
]


def kit_database(url: str) -> Database:
    db = Database(url)
    migrate(db, KIT_MIGRATIONS)
    return db


def assigned_event(case_id: str | None = None, client_id: str = "kit") -> Envelope[Any]:
    now = datetime.now(UTC)
    return new_event(
        CaseAssigned(client_id=client_id, collector_id="c-1", assigned_at=now),
        occurred_at=now,
        case_id=case_id or str(uuid.uuid4()),
        correlation_id="corr-" + uuid.uuid4().hex[:6],
    )


def tally_of(db: Database, case_id: str) -> int:
    with db.reader() as session:
        row = session.get(Tally, case_id)
        return row.count if row else 0


async def eventually(check: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what or check}")


async def read_topic(bootstrap: str, topic: str, *, settle: float = 2.0) -> list[Any]:
    """Everything currently in a topic, read from the start without a consumer group."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        metadata_max_age_ms=1000,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for items in batch.values():
                records.extend(items)
                deadline = max(deadline, time.monotonic() + 0.5)
    finally:
        await consumer.stop()
    return records
