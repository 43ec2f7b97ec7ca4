"""Kafka clients configured the one way the platform uses them."""

from __future__ import annotations

import random
import zlib

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.client import AIOKafkaClient
from aiokafka.protocol.metadata import MetadataRequest

TRANSIENT_BACKOFF_MAX = 5.0
EVENT_ID_HEADER = "event_id"


def case_partitioner(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """Same case, same partition, so one case's events stay in order.

    CRC-32 instead of the Java client's murmur2, which aiokafka computes in pure Python
    at a cost that dominated the relay's time; only our relays write our topics, so
    the mapping only has to agree with itself.
    """
    if key is None:
        return random.choice(available or all_partitions)
    return all_partitions[zlib.crc32(key) % len(all_partitions)]


def make_producer(
    bootstrap_servers: str, *, client_id: str, request_timeout_ms: int
) -> AIOKafkaProducer:
    """``acks="all"`` without the idempotent producer: the local broker rejects it, and the
    consumers' inboxes make redelivery harmless anyway."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=False,
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=request_timeout_ms,
        retry_backoff_ms=200,
        partitioner=case_partitioner,
    )


def make_consumer(
    bootstrap_servers: str,
    *topics: str,
    group_id: str | None,
    client_id: str,
    session_timeout_ms: int = 10_000,
) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        client_id=client_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        metadata_max_age_ms=3000,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(session_timeout_ms // 5, 200),
    )


def next_backoff(current: float) -> float:
    return min(max(current * 2, 0.2), TRANSIENT_BACKOFF_MAX)


async def cluster_id(client: AIOKafkaClient) -> str:
    """The id of the cluster the client is talking to, asked for afresh.

    The id names one incarnation of the broker's data: Apache Kafka keeps it with its
    log, a cluster rebuilt from nothing gets a new one, and the local broker (which keeps
    everything in memory) is started with a new one each time. So a changed id means
    every offset learnt from the old one is void. An empty topic list keeps it cheap.
    """
    node = client.get_random_node()
    if node is None:
        raise ConnectionError("no broker known to ask for the cluster id")
    response = await client.send(node, MetadataRequest([]))
    found = getattr(response, "cluster_id", None)
    if not found:
        raise ConnectionError("the broker did not say which cluster it belongs to")
    return str(found)
