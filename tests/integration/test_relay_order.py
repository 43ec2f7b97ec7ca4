"""A relay round whose send fails half-way never lets a case's later event overtake it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError

from shared.bus.kafka import case_partitioner
from shared.bus.outbox import Outbox
from shared.devtools.broker import LocalBroker
from shared.events import topic_for

from .bus_kit import KIT_BUS, assigned_event, kit_database, read_topic
from .test_bus import pending, relay_for

pytestmark = pytest.mark.broker


class FailingOnce:
    """The real producer, except that the first record batch sent to one partition is
    lost as a timed-out request would be."""

    def __init__(self, producer: AIOKafkaProducer, partition: int) -> None:
        self.producer = producer
        self.partition = partition
        self.failed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.producer, name)

    async def send_batch(self, batch: Any, topic: str, *, partition: int) -> asyncio.Future[Any]:
        if partition == self.partition and not self.failed:
            self.failed = True
            lost: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            lost.set_exception(KafkaTimeoutError("batch expired"))
            return lost
        return await self.producer.send_batch(batch, topic, partition=partition)


async def test_a_case_keeps_its_order_when_a_send_fails_half_way(
    database_url: str, broker: LocalBroker
) -> None:
    db = kit_database(database_url)
    case_id = f"ordered-{id(db)}"
    first_round = [assigned_event(case_id=case_id, client_id=f"step-{i}") for i in range(6)]
    others = [assigned_event() for _ in range(12)]
    with db.transaction() as session:
        Outbox(KIT_BUS).add_all(session, [*first_round[:3], *others, *first_round[3:]])

    # Small record batches: a round holds only a few events of the case's partition.
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap_servers, acks="all", max_batch_size=1800
    )
    await producer.start()
    try:
        partitions = sorted(await producer.partitions_for(topic_for("assignment")))
        ours = case_partitioner(case_id.encode(), partitions, partitions)
        relay = relay_for(db, broker.bootstrap_servers)
        flaky = FailingOnce(producer, ours)
        await relay.requeue_lost(producer)  # a relay checks a broker before publishing to it
        with pytest.raises(ConnectionError, match="not acknowledged"):
            await relay.publish_batch(flaky)  # type: ignore[arg-type]
        assert flaky.failed
        later = assigned_event(case_id=case_id, client_id="step-6")
        with db.transaction() as session:
            Outbox(KIT_BUS).add(session, later)
        for _ in range(20):
            if pending(db) == 0:
                break
            await relay.publish_batch(producer)
    finally:
        await producer.stop()

    assert pending(db) == 0
    records = await read_topic(broker.bootstrap_servers, topic_for("assignment"), settle=2)
    steps = [
        json.loads(r.value)["payload"]["client_id"] for r in records if r.key == case_id.encode()
    ]
    assert steps == [f"step-{i}" for i in range(7)], "written order, each once"
