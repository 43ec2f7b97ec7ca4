"""The consumer runner against the real broker: batches, stops, dead letters, offsets."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from shared.bus.consumer import ConsumerConfig, ConsumerRunner
from shared.bus.work import UnitOfWork
from shared.devtools.broker import LocalBroker
from shared.events import Envelope, encode
from shared.events.catalog import CaseAssigned

from .bus_kit import KIT_BUS, Tally, assigned_event, eventually, kit_database, read_topic, tally_of
from .test_bus import produce, running

pytestmark = pytest.mark.broker


def runner_for(
    db: Any, broker: LocalBroker, topic: str, group: str, handler: Any
) -> ConsumerRunner:
    return ConsumerRunner(
        db,
        KIT_BUS,
        {CaseAssigned: [handler]},
        ConsumerConfig(
            service=group, bootstrap_servers=broker.bootstrap_servers, session_timeout_ms=4000
        ),
        topics=(topic,),
    )


def count_up(uow: UnitOfWork, event: Envelope[Any]) -> None:
    if event.payload.client_id == "poison":
        row = Tally(case_id=event.case_id, count=1)
        uow.session.add(row)
        uow.session.flush()
        raise ValueError("this case cannot be handled")
    row = uow.session.get(Tally, event.case_id) or Tally(case_id=event.case_id, count=0)
    row.count += 1
    uow.session.add(row)


def handled_ids(db: Any) -> int:
    with db.reader() as session:
        return session.execute(select(func.count()).select_from(KIT_BUS.inbox)).scalar_one()


async def test_a_stop_after_the_first_event_of_a_batch_skips_nothing(
    database_url: str, broker: LocalBroker
) -> None:
    db = kit_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    group = f"g-{uuid.uuid4().hex[:8]}"
    events = [assigned_event() for _ in range(50)]
    await produce(broker.bootstrap_servers, topic, [encode(e) for e in events])

    stop = asyncio.Event()
    calls = {"n": 0}

    def stop_after_first(uow: UnitOfWork, event: Envelope[Any]) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            stop.set()
        count_up(uow, event)

    first = runner_for(db, broker, topic, group, stop_after_first)
    await asyncio.wait_for(first.run(stop), timeout=60)
    assert calls["n"] >= 1

    # Started again in the same group: it resumes at the committed offsets.
    async with running(runner_for(db, broker, topic, group, count_up)):
        await eventually(lambda: handled_ids(db) == 50, what="every event, after restart")
        await asyncio.sleep(2)
    assert [tally_of(db, e.case_id) for e in events] == [1] * 50, "each applied exactly once"


async def test_a_poison_event_mid_batch_is_dead_lettered_with_its_origin(
    database_url: str, broker: LocalBroker
) -> None:
    db = kit_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    group = f"g-{uuid.uuid4().hex[:8]}"
    before = [assigned_event() for _ in range(10)]
    poison = assigned_event(client_id="poison")
    newer = json.loads(encode(assigned_event()))
    newer["version"] = 7
    after = [assigned_event() for _ in range(10)]
    values = [
        *(encode(e) for e in before),
        encode(poison),
        json.dumps(newer).encode(),
        *(encode(e) for e in after),
    ]
    await produce(broker.bootstrap_servers, topic, values)

    runner = runner_for(db, broker, topic, group, count_up)
    async with running(runner):
        await eventually(lambda: handled_ids(db) == 20, what="the events around the poison")
        await asyncio.sleep(1)

    assert [tally_of(db, e.case_id) for e in [*before, *after]] == [1] * 20
    assert tally_of(db, poison.case_id) == 0, "nothing of the poison event is written"
    dead = await read_topic(broker.bootstrap_servers, runner.dead_letter_topic)
    assert [d.value for d in dead] == [encode(poison), json.dumps(newer).encode()]
    origin = [dict(d.headers) for d in dead]
    assert [h["dlq.topic"] for h in origin] == [topic.encode()] * 2
    assert [int(h["dlq.offset"]) for h in origin] == [10, 11]
    assert all(h["dlq.partition"] == b"0" for h in origin)
    assert b"this case cannot be handled" in origin[0]["dlq.error"]
    assert b"version 7 is newer" in origin[1]["dlq.error"]


async def test_a_stop_while_the_database_is_away_dead_letters_nothing(
    database_url: str, broker: LocalBroker
) -> None:
    db = kit_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    group = f"g-{uuid.uuid4().hex[:8]}"
    events = [assigned_event() for _ in range(5)]
    await produce(broker.bootstrap_servers, topic, [encode(e) for e in events])
    stop = asyncio.Event()
    attempts = {"n": 0}

    def database_away(uow: UnitOfWork, event: Envelope[Any]) -> None:
        attempts["n"] += 1
        if attempts["n"] == 2:
            stop.set()
        raise OperationalError("UPDATE", {}, Exception("server closed the connection"))

    first = runner_for(db, broker, topic, group, database_away)
    await asyncio.wait_for(first.run(stop), timeout=60)
    assert attempts["n"] >= 2
    assert handled_ids(db) == 0
    assert await read_topic(broker.bootstrap_servers, first.dead_letter_topic, settle=1) == []

    async with running(runner_for(db, broker, topic, group, count_up)):
        await eventually(lambda: handled_ids(db) == 5, what="the batch, after restart")
    assert [tally_of(db, e.case_id) for e in events] == [1] * 5
