"""The consumer runner: one group per service, an inbox for exactly-once effects, a DLQ."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from prometheus_client import Counter
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from shared.bus.kafka import make_consumer, make_producer, next_backoff
from shared.bus.outbox import Outbox
from shared.bus.tables import BusTables
from shared.bus.work import UnitOfWork
from shared.clock import Clock, utc_now
from shared.db import Database
from shared.events import EVENT_TYPES, Envelope, dead_letter_topic, decode, peek_type
from shared.logging import correlation_id_var, get_logger

log = get_logger(__name__)
T = TypeVar("T")

Handler = Callable[[UnitOfWork, Envelope[Any]], None]

HANDLED = Counter("events_handled_total", "Events handled", ["service", "type", "outcome"])


class TransientError(Exception):
    """The handler could not run now (database away); retry the same event later."""


@dataclass(frozen=True)
class ConsumerConfig:
    service: str
    bootstrap_servers: str
    topics: tuple[str, ...]
    batch_size: int = 200
    request_timeout_ms: int = 10_000
    session_timeout_ms: int = 10_000


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TransientError | OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class ConsumerRunner:
    """Feeds events to ``handlers`` (event type -> function), each in its own transaction.

    The inbox row (unique ``event_id``) is written in the handler's transaction, so a
    redelivered event changes state once. Offsets are committed per batch after the
    transactions. An event that cannot be handled goes to the service's dead-letter
    topic with the error, and the consumer carries on; a database outage is retried.
    """

    def __init__(
        self,
        db: Database,
        tables: BusTables,
        handlers: Mapping[str, Handler],
        config: ConsumerConfig,
        clock: Clock = utc_now,
        on_emit: Callable[[], None] | None = None,
    ) -> None:
        unknown = set(handlers) - set(EVENT_TYPES)
        if unknown:
            raise ValueError(f"handlers for unknown event types: {sorted(unknown)}")
        self.db = db
        self.inbox = tables.inbox
        self.outbox = Outbox(tables)
        self.handlers = dict(handlers)
        self.config = config
        self.clock = clock
        self.on_emit = on_emit
        self.connected = False
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
                    *self.config.topics,
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
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=500, max_records=self.config.batch_size)
            if not batch:
                continue
            for records in batch.values():
                for record in records:
                    await self.process(record, dlq, stop)
                    if stop.is_set():
                        break
            if any(batch.values()):
                await consumer.commit()

    async def process(
        self, record: ConsumerRecord, dlq: AIOKafkaProducer, stop: asyncio.Event
    ) -> str:
        """Handle one record; returns the outcome (handled, duplicate, ignored, dead-lettered)."""
        backoff = 0.0
        while True:
            try:
                outcome = await self._in_db(self._handle, record)
                HANDLED.labels(self.config.service, outcome[1], outcome[0]).inc()
                if outcome[0] == "handled" and self.on_emit:
                    self.on_emit()
                return outcome[0]
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if _is_transient(exc) and not stop.is_set():
                    backoff = next_backoff(backoff)
                    log.warning(
                        "event_retry",
                        error=str(exc)[:300],
                        retry_in=backoff,
                        topic=record.topic,
                        offset=record.offset,
                    )
                    await asyncio.sleep(backoff)
                    continue
                await self._dead_letter(record, exc, dlq)
                HANDLED.labels(self.config.service, "?", "dead_lettered").inc()
                return "dead_lettered"

    def _handle(self, record: ConsumerRecord) -> tuple[str, str]:
        raw = peek_type(record.value)
        handler = self.handlers.get(raw.type)
        if handler is None:
            return "ignored", raw.type
        event = decode(record.value)
        token = correlation_id_var.set(event.correlation_id)
        try:
            with self.db.transaction() as session:
                event_id = str(event.event_id)
                seen = session.execute(
                    select(self.inbox.c.event_id).where(self.inbox.c.event_id == event_id)
                ).first()
                if seen:
                    return "duplicate", event.type
                session.execute(
                    self.inbox.insert().values(
                        event_id=event_id,
                        event_type=event.type,
                        topic=record.topic,
                        handled_at=self.clock(),
                    )
                )
                work = UnitOfWork(
                    session=session,
                    now=self.clock(),
                    outbox=self.outbox,
                    correlation_id=event.correlation_id,
                    causation_id=event_id,
                )
                handler(work, event)
                work.write_events()
            log.info("event_handled", type=event.type, event_id=event_id, case_id=event.case_id)
            return "handled", event.type
        except IntegrityError as exc:
            if "inbox" in str(exc.orig).lower() or "event_id" in str(exc.orig).lower():
                return "duplicate", event.type
            raise
        finally:
            correlation_id_var.reset(token)

    async def _dead_letter(
        self, record: ConsumerRecord, exc: BaseException, dlq: AIOKafkaProducer
    ) -> None:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        headers = [
            *(record.headers or ()),
            ("dlq.error", error.encode()),
            ("dlq.topic", record.topic.encode()),
            ("dlq.partition", str(record.partition).encode()),
            ("dlq.offset", str(record.offset).encode()),
            ("dlq.consumer", self.config.service.encode()),
        ]
        await dlq.send_and_wait(
            self.dead_letter_topic, value=record.value, key=record.key, headers=headers
        )
        log.error(
            "event_dead_lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=error[:300],
            dead_letter=self.dead_letter_topic,
        )
