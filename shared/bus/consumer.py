"""The consumer runner: one group per service, a batch per transaction, a dead-letter topic."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from prometheus_client import Counter

from shared.bus.apply import BatchApplier, BatchOutcome, Delivery, Rejected, is_transient
from shared.bus.handlers import HandlerTable, subscribed_topics
from shared.bus.kafka import cluster_id, make_consumer, make_producer, next_backoff
from shared.bus.tables import BusTables
from shared.clock import Clock, utc_now
from shared.context import ServiceContext
from shared.db import Database
from shared.events import dead_letter_topic
from shared.faults import fault_point
from shared.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")

HANDLED = Counter("events_handled_total", "Events handled", ["service", "type", "outcome"])


@dataclass(frozen=True)
class ConsumerConfig:
    service: str
    bootstrap_servers: str
    batch_size: int = 500
    request_timeout_ms: int = 10_000
    session_timeout_ms: int = 10_000


class ConsumerRunner:
    """Feeds what the service subscribed to, batch by batch, to a :class:`BatchApplier`.

    A fetched batch is applied in one transaction; only then are offsets committed, and
    explicitly: per partition, the offset after the last record of the applied batch. A
    stop never cuts a batch in half (the transaction is atomic) and never commits what
    was not applied. A database outage is retried until it passes or the runner stops —
    then nothing is committed and the batch is delivered again after restart. Messages
    that cannot be handled go to the service's dead-letter topic before the offsets that
    pass them are committed.

    A broker that comes back without its data (a new cluster id) voids every position:
    a batch fetched from it at a position learnt from the old log is dropped unapplied,
    and the consumer joins afresh, reading the new log from its start (the inbox absorbs
    what it has seen), so a log that grew past the old position is never skipped.
    """

    def __init__(
        self,
        db: Database,
        tables: BusTables,
        handlers: HandlerTable,
        config: ConsumerConfig,
        clock: Clock = utc_now,
        on_emit: Callable[[], None] | None = None,
        topics: Sequence[str] | None = None,
        context: ServiceContext | None = None,
    ) -> None:
        """``topics`` defaults to those the handler table implies; tests name their own
        to keep each test's messages apart on a shared broker."""
        self.topics = tuple(topics) if topics is not None else subscribed_topics(handlers)
        self.applier = BatchApplier(
            db, tables, handlers, clock, service=config.service, context=context
        )
        self.config = config
        self.on_emit = on_emit
        self.connected = False
        self._gate = asyncio.Lock()
        self._db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="consumer")

    @property
    def dead_letter_topic(self) -> str:
        return dead_letter_topic(self.config.service)

    async def _in_db(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._db_thread, fn, *args)

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.0
        try:
            while not stop.is_set():
                consumer = make_consumer(
                    self.config.bootstrap_servers,
                    *self.topics,
                    group_id=self.config.service,
                    client_id=f"{self.config.service}-consumer",
                    session_timeout_ms=self.config.session_timeout_ms,
                )
                dlq = make_producer(
                    self.config.bootstrap_servers,
                    client_id=f"{self.config.service}-dlq",
                    request_timeout_ms=self.config.request_timeout_ms,
                )
                try:
                    await consumer.start()
                    await dlq.start()
                    self.connected = True
                    backoff = 0.0
                    await self._consume(consumer, dlq, stop)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    backoff = next_backoff(backoff)
                    log.warning("consumer_retry", error=str(exc)[:300], retry_in=backoff)
                finally:
                    self.connected = False
                    for client in (consumer, dlq):
                        try:
                            await client.stop()
                        except Exception as exc:
                            log.debug("kafka_client_stop_failed", error=str(exc))
                if backoff and not stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=backoff)
        finally:
            self._db_thread.shutdown(wait=True)

    async def _consume(
        self, consumer: AIOKafkaConsumer, dlq: AIOKafkaProducer, stop: asyncio.Event
    ) -> None:
        joined = await cluster_id(dlq.client)
        while not stop.is_set():
            fetched = await consumer.getmany(timeout_ms=500, max_records=self.config.batch_size)
            records = [record for batch in fetched.values() for record in batch]
            if not records:
                continue
            now = await cluster_id(dlq.client)
            if now != joined:
                raise BrokerReplaced(f"the broker is now cluster {now}, not {joined}")
            async with self._gate:
                outcome = await self.process(records, dlq, stop)
                if outcome is None:
                    return
                fault_point("consumer.after_commit")
                await consumer.commit(_next_offsets(records))

    @contextlib.asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """Hold the consumer between batches (a batch under way finishes first)."""
        async with self._gate:
            yield

    async def process(
        self, records: Sequence[ConsumerRecord], dlq: AIOKafkaProducer, stop: asyncio.Event
    ) -> BatchOutcome | None:
        """Apply a batch, dead-letter what cannot be handled; None when stopped before it
        could be applied (then nothing may be committed)."""
        deliveries = [_delivery(record) for record in records]
        backoff = 0.0
        while True:
            try:
                outcome = await self._in_db(self.applier.apply, deliveries)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if stop.is_set():
                    log.info("batch_left_for_redelivery", events=len(deliveries))
                    return None
                backoff = next_backoff(backoff)
                log.warning("batch_retry", error=str(exc)[:300], retry_in=backoff)
                await asyncio.sleep(backoff)
        for rejected in outcome.rejected:
            await self._dead_letter(rejected, dlq)
        self._count(outcome)
        if outcome.emitted and self.on_emit:
            self.on_emit()
        return outcome

    def _count(self, outcome: BatchOutcome) -> None:
        service = self.config.service
        for event_type, count in outcome.handled.items():
            HANDLED.labels(service, event_type, "handled").inc(count)
        if outcome.duplicates:
            HANDLED.labels(service, "?", "duplicate").inc(outcome.duplicates)
        if outcome.ignored:
            HANDLED.labels(service, "?", "ignored").inc(outcome.ignored)
        for rejected in outcome.rejected:
            HANDLED.labels(service, rejected.event_type, "dead_lettered").inc()
        log.info(
            "events_handled",
            handled=outcome.handled_count,
            types=dict(outcome.handled),
            duplicates=outcome.duplicates,
            ignored=outcome.ignored,
            dead_lettered=len(outcome.rejected),
            emitted=outcome.emitted,
        )

    async def _dead_letter(self, rejected: Rejected, dlq: AIOKafkaProducer) -> None:
        d = rejected.delivery
        headers = [
            *d.headers,
            ("dlq.error", rejected.error.encode()),
            ("dlq.topic", d.topic.encode()),
            ("dlq.partition", str(d.partition).encode()),
            ("dlq.offset", str(d.offset).encode()),
            ("dlq.consumer", self.config.service.encode()),
        ]
        await dlq.send_and_wait(self.dead_letter_topic, value=d.value, key=d.key, headers=headers)
        log.error(
            "event_dead_lettered",
            topic=d.topic,
            partition=d.partition,
            offset=d.offset,
            error=rejected.error[:300],
            dead_letter=self.dead_letter_topic,
        )


class BrokerReplaced(ConnectionError):
    """The broker forgot its data since this consumer joined: its positions are void."""


def _delivery(record: ConsumerRecord) -> Delivery:
    return Delivery(
        value=record.value,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        headers=tuple(record.headers or ()),
    )


def _next_offsets(records: Sequence[ConsumerRecord]) -> dict[TopicPartition, OffsetAndMetadata]:
    """Per partition, the position after the last record applied."""
    offsets: dict[TopicPartition, int] = {}
    for record in records:
        tp = TopicPartition(record.topic, record.partition)
        offsets[tp] = max(offsets.get(tp, -1), record.offset + 1)
    return {tp: OffsetAndMetadata(offset, "") for tp, offset in offsets.items()}
