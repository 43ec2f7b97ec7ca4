"""The database locked by another writer for several busy timeouts (SQLite: a connection
holding ``BEGIN IMMEDIATE``; PostgreSQL: a session holding ``LOCK TABLE … IN EXCLUSIVE
MODE``, which lets readers through): the consumer and the relay back off, commit nothing
while it lasts, then finish the same work exactly once the lock is released."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from shared.bus.outbox import Outbox
from shared.db import Database, migrate
from shared.devtools.broker import LocalBroker
from shared.events import encode, topic_for

from .bus_kit import KIT_BUS, KIT_MIGRATIONS, Tally, assigned_event, eventually, read_topic
from .test_bus import consumer_for, pending, produce, relay_for, running

pytestmark = pytest.mark.broker

BUSY_TIMEOUT_MS = 300
HELD_SECONDS = 2.5  # more than eight busy timeouts


@contextmanager
def locked_by_another_writer(url: str, table: str) -> Iterator[None]:
    if url.startswith("sqlite"):
        other = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as other:
            other.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                other.rollback()
    finally:
        engine.dispose()


def locked_database(url: str) -> Database:
    db = Database(url, busy_timeout_ms=BUSY_TIMEOUT_MS)
    migrate(db, KIT_MIGRATIONS)
    return db


def applied(db: Database) -> tuple[int, int]:
    """(inbox rows, sum of the tallies)."""
    with db.reader() as session:
        inbox = session.execute(select(func.count()).select_from(KIT_BUS.inbox)).scalar_one()
        total = session.execute(select(func.coalesce(func.sum(Tally.count), 0))).scalar_one()
    return int(inbox), int(total)


async def committed_offsets(bootstrap: str, topic: str, group: str) -> int:
    """The sum of the group's committed positions on ``topic`` (read without joining it)."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await reader.start()
    try:
        await reader.topics()
        partitions = reader.partitions_for_topic(topic) or set()
        found = [await reader.committed(TopicPartition(topic, p)) for p in sorted(partitions)]
    finally:
        await reader.stop()
    return sum(offset for offset in found if offset is not None and offset >= 0)


async def test_a_consumer_behind_a_held_lock_backs_off_commits_nothing_then_applies_once(
    database_url: str, broker: LocalBroker
) -> None:
    db = locked_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    group = f"g-{uuid.uuid4().hex[:8]}"
    events = [assigned_event() for _ in range(40)]
    await produce(broker.bootstrap_servers, topic, [encode(e) for e in events])
    runner = consumer_for(db, broker.bootstrap_servers, topic, group)
    async with running(runner):
        with locked_by_another_writer(database_url, KIT_BUS.inbox.name):
            await eventually(lambda: runner.connected, what="the consumer to join")
            await asyncio.sleep(HELD_SECONDS)
            assert applied(db) == (0, 0), "nothing applied while the lock is held"
            assert await committed_offsets(broker.bootstrap_servers, topic, group) == 0
        await eventually(lambda: applied(db) == (40, 40), what="the batch after the lock")
        for _ in range(50):
            if await committed_offsets(broker.bootstrap_servers, topic, group) == len(events):
                break
            await asyncio.sleep(0.2)
    assert applied(db) == (len(events), len(events)), "each event applied exactly once"
    assert await committed_offsets(broker.bootstrap_servers, topic, group) == len(events)
    assert await read_topic(broker.bootstrap_servers, runner.dead_letter_topic, settle=1) == []


async def test_a_relay_behind_a_held_lock_marks_nothing_then_publishes_every_event(
    database_url: str, broker: LocalBroker
) -> None:
    db = locked_database(database_url)
    events = [assigned_event() for _ in range(30)]
    with db.transaction() as session:
        Outbox(KIT_BUS).add_all(session, events)
    async with running(relay_for(db, broker.bootstrap_servers)):
        with locked_by_another_writer(database_url, KIT_BUS.outbox.name):
            await asyncio.sleep(HELD_SECONDS)
            assert pending(db) == len(events), "nothing marked published while locked"
        await eventually(lambda: pending(db) == 0, what="the relay after the lock")
    ours = {str(e.event_id) for e in events}
    records = await read_topic(broker.bootstrap_servers, topic_for("assignment"))
    seen = {dict(r.headers)["event_id"].decode() for r in records} & ours
    assert seen == ours, "every event reached the broker (a repeat is absorbed by inboxes)"
