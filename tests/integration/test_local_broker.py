"""The local broker behaves the way ARCHITECTURE.md says the platform relies on."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from shared.devtools.broker import BrokerError, LocalBroker

pytestmark = pytest.mark.broker


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A private broker, not the session one: these tests restart it."""
    with LocalBroker(log_path=tmp_path / "broker.log") as running:
        yield running


def new_topic() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


async def list_topics(bootstrap_servers: str) -> list[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        return await admin.list_topics()
    finally:
        await admin.close()


async def produce(bootstrap_servers: str, topic: str, value: bytes) -> int:
    """Send one record and return how many partitions the topic has."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=b"case-1")
        return len(producer.client.cluster.partitions_for_topic(topic) or ())
    finally:
        await producer.stop()


async def test_started_broker_serves_kafka_clients(own_broker: LocalBroker) -> None:
    assert own_broker.is_running()
    assert own_broker.bootstrap_servers == f"127.0.0.1:{own_broker.port}"
    assert isinstance(await list_topics(own_broker.bootstrap_servers), list)


async def test_message_round_trip_with_acks_all(own_broker: LocalBroker) -> None:
    topic = new_topic()
    partitions = await produce(own_broker.bootstrap_servers, topic, b"case imported")

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=own_broker.bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=10)
    finally:
        await consumer.stop()

    assert message.value == b"case imported"
    assert message.key == b"case-1"
    assert partitions == 4, "first produce auto-creates the topic with 4 partitions"


async def test_idempotent_producer_is_rejected(own_broker: LocalBroker) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=own_broker.bootstrap_servers, enable_idempotence=True
    )
    try:
        with pytest.raises(KafkaError):
            await asyncio.wait_for(producer.start(), timeout=15)
    finally:
        await producer.stop()


async def test_restart_forgets_topics(own_broker: LocalBroker) -> None:
    topic = new_topic()
    await produce(own_broker.bootstrap_servers, topic, b"before restart")
    assert topic in await list_topics(own_broker.bootstrap_servers)
    port = own_broker.port

    own_broker.restart()

    assert own_broker.port == port
    assert topic not in await list_topics(own_broker.bootstrap_servers)


def test_stop_reaps_the_process(tmp_path: Path) -> None:
    broker = LocalBroker(log_path=tmp_path / "broker.log")
    broker.start()
    pid = broker.pid
    assert pid is not None

    broker.stop()

    assert not broker.is_running()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert "listening on" in (tmp_path / "broker.log").read_text()


def test_start_refuses_a_port_in_use() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        broker = LocalBroker(port=holder.getsockname()[1])
        with pytest.raises(BrokerError, match="in use"):
            broker.start()
        assert not broker.is_running()
