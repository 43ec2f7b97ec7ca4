"""A broker that comes back without its data (a new cluster id), met by a relay and a
consumer that keep running across it: nothing published before the restart is lost,
nothing the new log holds is skipped."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.bus.outbox import Outbox
from shared.devtools.broker import LocalBroker
from shared.events import encode, topic_for

from .bus_kit import KIT_BUS, assigned_event, eventually, kit_database, read_topic
from .test_bus import consumer_for, pending, produce, relay_for, running

pytestmark = pytest.mark.broker


def event_ids_in(records: list[Any]) -> list[str]:
    return [json.loads(r.value)["event_id"] for r in records]


def inbox_count(db: Any) -> int:
    with db.reader() as session:
        return session.execute(select(func.count()).select_from(KIT_BUS.inbox)).scalar_one()


async def test_rows_published_before_a_restart_go_out_again_before_any_new_row(
    database_url: str, tmp_path: Any
) -> None:
    """The case the loss check used to miss: after the restart new rows reach the empty
    broker first; their offsets are the new broker's, the old rows' offsets the old one's.
    The periodic check is an hour away here, so only the check before each round can
    save the old rows."""
    db = kit_database(database_url)
    broker = LocalBroker(log_path=tmp_path / "broker.log")
    broker.start()
    try:
        before = [assigned_event() for _ in range(40)]
        with db.transaction() as session:
            Outbox(KIT_BUS).add_all(session, before)
        relay = relay_for(db, broker.bootstrap_servers, check_broker_seconds=3600.0)
        async with running(relay):
            await eventually(lambda: pending(db) == 0, what="first publication")
            first_cluster = broker.cluster_id
            broker.restart()
            assert broker.cluster_id != first_cluster
            after = [assigned_event() for _ in range(10)]
            with db.transaction() as session:
                Outbox(KIT_BUS).add_all(session, after)
            relay.wake()
            wanted = {str(e.event_id) for e in [*before, *after]}

            async def all_there() -> bool:
                records = await read_topic(
                    broker.bootstrap_servers, topic_for("assignment"), settle=0.5
                )
                return wanted <= set(event_ids_in(records))

            for _ in range(60):
                if pending(db) == 0 and await all_there():
                    break
                await asyncio.sleep(0.5)
        records = await read_topic(broker.bootstrap_servers, topic_for("assignment"), settle=1)
        held = event_ids_in(records)
        assert wanted <= set(held), f"{len(wanted - set(held))} events lost after the restart"
        assert pending(db) == 0
        with db.reader() as session:
            clusters = set(session.execute(select(KIT_BUS.outbox.c.broker_cluster)).scalars())
        assert clusters == {broker.cluster_id}, "every row is acknowledged by the broker now"
    finally:
        broker.stop()


async def test_a_consumer_does_not_skip_a_new_log_that_grew_past_its_old_position(
    database_url: str, tmp_path: Any
) -> None:
    db = kit_database(database_url)
    broker = LocalBroker(log_path=tmp_path / "broker.log")
    broker.start()
    topic = "kit.forgetful"
    try:
        runner = consumer_for(db, broker.bootstrap_servers, topic, "kit-forgetful")
        first = [assigned_event() for _ in range(10)]
        async with running(runner):
            await produce(broker.bootstrap_servers, topic, [encode(e) for e in first])
            await eventually(lambda: inbox_count(db) == 10, what="the first ten applied")
            async with runner.paused():
                broker.restart()
                second = [assigned_event() for _ in range(40)]
                # One key, one partition: the new log passes offset 10 before the
                # consumer reads it, so a consumer trusting its old position skips 0-9.
                await produce(broker.bootstrap_servers, topic, [encode(e) for e in second])
                await asyncio.sleep(3)
            await eventually(lambda: inbox_count(db) == 50, timeout=60, what="all fifty applied")
        with db.reader() as session:
            seen = set(session.execute(select(KIT_BUS.inbox.c.event_id)).scalars())
        assert {str(e.event_id) for e in second} <= seen
    finally:
        broker.stop()
