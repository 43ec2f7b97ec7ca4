"""The bus against a real broker and real databases: outbox, relay, inbox, dead letters."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from shared.bus.consumer import ConsumerConfig, ConsumerRunner
from shared.bus.outbox import Outbox
from shared.bus.relay import OutboxRelay, RelayConfig
from shared.bus.work import UnitOfWork
from shared.devtools.broker import LocalBroker
from shared.events import Envelope, encode, topic_for
from shared.events.catalog import CaseAssigned

from .bus_kit import (
    KIT_BUS,
    Tally,
    assigned_event,
    eventually,
    kit_database,
    read_topic,
    tally_of,
)

pytestmark = pytest.mark.broker


def count_up(uow: UnitOfWork, event: Envelope[Any]) -> None:
    if event.payload.client_id == "poison":
        raise ValueError("this case cannot be handled")
    row = uow.session.get(Tally, event.case_id) or Tally(case_id=event.case_id, count=0)
    row.count += 1
    uow.session.add(row)


def relay_for(db: Any, bootstrap: str, **overrides: Any) -> OutboxRelay:
    config = RelayConfig(
        service="kit",
        bootstrap_servers=bootstrap,
        batch_size=100,
        idle_seconds=0.1,
        request_timeout_ms=3000,
        **overrides,
    )
    return OutboxRelay(db, KIT_BUS, config)


def consumer_for(db: Any, bootstrap: str, topic: str, group: str) -> ConsumerRunner:
    return ConsumerRunner(
        db,
        KIT_BUS,
        {CaseAssigned: [count_up]},
        ConsumerConfig(service=group, bootstrap_servers=bootstrap),
        topics=(topic,),
    )


@contextlib.asynccontextmanager
async def running(component: Any):
    stop = asyncio.Event()
    task = asyncio.create_task(component.run(stop))
    try:
        yield component
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


def pending(db: Any) -> int:
    with db.reader() as session:
        return session.execute(
            select(func.count())
            .select_from(KIT_BUS.outbox)
            .where(KIT_BUS.outbox.c.published_at.is_(None))
        ).scalar_one()


async def produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value=value, key=b"k")
    finally:
        await producer.stop()


async def test_event_written_while_broker_down_is_published_once_it_is_up(
    database_url: str, tmp_path: Any
) -> None:
    db = kit_database(database_url)
    broker = LocalBroker(log_path=tmp_path / "broker.log")
    event = assigned_event()
    with db.transaction() as session:
        Outbox(KIT_BUS).add(session, event)

    async with running(relay_for(db, broker.bootstrap_servers)) as relay:
        await asyncio.sleep(3)
        assert pending(db) == 1, "nothing may be marked published while the broker is down"
        assert not relay.connected
        broker.start()
        try:
            await eventually(lambda: pending(db) == 0, what="the relay to publish")
            await asyncio.sleep(1.5)
            records = await read_topic(broker.bootstrap_servers, topic_for("assignment"))
        finally:
            broker.stop()

    ids = [r for r in records if str(event.event_id).encode() in r.value]
    assert len(ids) == 1, f"expected the event exactly once, found {len(ids)}"
    assert ids[0].key == event.case_id.encode()


async def test_redelivered_event_changes_state_once(database_url: str, broker: LocalBroker) -> None:
    db = kit_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    event = assigned_event()
    await produce(broker.bootstrap_servers, topic, [encode(event), encode(event)])

    async with running(consumer_for(db, broker.bootstrap_servers, topic, f"g-{uuid.uuid4().hex}")):
        await eventually(lambda: tally_of(db, event.case_id) >= 1, what="the first delivery")
        await asyncio.sleep(1)
    # A second group has no committed offsets: the whole topic is delivered again.
    async with running(consumer_for(db, broker.bootstrap_servers, topic, f"g-{uuid.uuid4().hex}")):
        await asyncio.sleep(6)

    assert tally_of(db, event.case_id) == 1
    with db.reader() as session:
        handled = session.execute(
            select(func.count())
            .select_from(KIT_BUS.inbox)
            .where(KIT_BUS.inbox.c.event_id == str(event.event_id))
        ).scalar_one()
    assert handled == 1


async def test_unhandleable_messages_go_to_dead_letter_and_the_rest_goes_on(
    database_url: str, broker: LocalBroker
) -> None:
    db = kit_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    group = f"g-{uuid.uuid4().hex[:8]}"
    before, poison, after = assigned_event(), assigned_event(client_id="poison"), assigned_event()
    garbage = b'{"not": "an event"'
    await produce(
        broker.bootstrap_servers, topic, [encode(before), garbage, encode(poison), encode(after)]
    )

    runner = consumer_for(db, broker.bootstrap_servers, topic, group)
    async with running(runner):
        await eventually(
            lambda: tally_of(db, after.case_id) == 1, what="the event after the bad ones"
        )

    assert tally_of(db, before.case_id) == 1
    assert tally_of(db, poison.case_id) == 0
    dead = await read_topic(broker.bootstrap_servers, runner.dead_letter_topic)
    assert [d.value for d in dead] == [garbage, encode(poison)]
    errors = [dict(d.headers)["dlq.error"].decode() for d in dead]
    assert "ValidationError" in errors[0]
    assert "this case cannot be handled" in errors[1]
    assert all(dict(d.headers)["dlq.topic"] == topic.encode() for d in dead)


async def test_database_outage_is_retried_not_dead_lettered(
    database_url: str, broker: LocalBroker
) -> None:
    db = kit_database(database_url)
    topic = f"kit-{uuid.uuid4().hex[:8]}.events"
    event = assigned_event()
    await produce(broker.bootstrap_servers, topic, [encode(event)])
    failures = {"left": 2}

    def flaky(uow: UnitOfWork, ev: Envelope[Any]) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        count_up(uow, ev)

    runner = ConsumerRunner(
        db,
        KIT_BUS,
        {CaseAssigned: [flaky]},
        ConsumerConfig(
            service=f"g-{uuid.uuid4().hex[:8]}", bootstrap_servers=broker.bootstrap_servers
        ),
        topics=(topic,),
    )
    async with running(runner):
        await eventually(lambda: tally_of(db, event.case_id) == 1, what="the retried event")
    assert failures["left"] == 0
    assert await read_topic(broker.bootstrap_servers, runner.dead_letter_topic, settle=1) == []


async def test_relay_republishes_what_a_restarted_broker_lost(
    database_url: str, tmp_path: Any
) -> None:
    db = kit_database(database_url)
    broker = LocalBroker(log_path=tmp_path / "broker.log")
    broker.start()
    try:
        event = assigned_event()
        with db.transaction() as session:
            Outbox(KIT_BUS).add(session, event)
        relay = relay_for(db, broker.bootstrap_servers, check_broker_seconds=1.0)
        async with running(relay):
            await eventually(lambda: pending(db) == 0, what="first publication")
            broker.restart()
            await eventually(
                lambda: pending(db) == 0 and relay.connected, timeout=5, what="relay reconnect"
            )
            found: list[Any] = []

            async def republished() -> bool:
                found[:] = await read_topic(
                    broker.bootstrap_servers, topic_for("assignment"), settle=0.5
                )
                return any(str(event.event_id).encode() in r.value for r in found)

            for _ in range(60):
                if await republished():
                    break
                await asyncio.sleep(0.5)
        assert any(str(event.event_id).encode() in r.value for r in found)
    finally:
        broker.stop()


async def test_two_relays_on_one_postgres_publish_each_event_once(
    database_url: str, broker: LocalBroker
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several replicas share a database only on PostgreSQL")
    db = kit_database(database_url)
    client = f"replicas-{uuid.uuid4().hex[:6]}"
    events = [assigned_event(client_id=client) for _ in range(300)]
    with db.transaction() as session:
        Outbox(KIT_BUS).add_all(session, events)
    first, second = relay_for(db, broker.bootstrap_servers), relay_for(db, broker.bootstrap_servers)
    async with running(first), running(second):
        await eventually(lambda: pending(db) == 0, what="both relays to drain the outbox")
    records = await read_topic(broker.bootstrap_servers, topic_for("assignment"), settle=3)
    ours = [r for r in records if client.encode() in r.value]
    assert len(ours) == len(events)
    assert len({r.value for r in ours}) == len(events)
