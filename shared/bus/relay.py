"""The outbox relay: publishes pending outbox rows, marks them only once the broker acked."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import OffsetOutOfRangeError, UnknownTopicOrPartitionError
from prometheus_client import Counter
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from shared.bus.kafka import (
    EVENT_ID_HEADER,
    case_partitioner,
    cluster_id,
    make_producer,
    next_backoff,
)
from shared.bus.tables import BusTables
from shared.clock import Clock, utc_now
from shared.db import Database, affected
from shared.faults import fault_point
from shared.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")

PUBLISHED = Counter("outbox_published_total", "Events published from the outbox", ["service"])
# A re-queued row: pending again, with nothing left of the broker that acknowledged it.
_PENDING_AGAIN = {"published_at": None, "partition": None, "offset": None, "broker_cluster": None}
REPUBLISHED = Counter(
    "outbox_republished_total", "Events re-queued after the broker lost them", ["service"]
)


@dataclass(frozen=True)
class RelayConfig:
    service: str
    bootstrap_servers: str
    batch_size: int = 500
    idle_seconds: float = 0.2
    check_broker_seconds: float = 15.0
    request_timeout_ms: int = 10_000


class OutboxRelay:
    """Publishes the outbox in rounds, keeping each case's events in the order written.

    A round takes the oldest pending rows and builds, per partition, one record batch in
    id order (rows that do not fit wait for the next round). A record batch is appended
    by the broker whole or not at all, and the next round starts only once this one is
    answered, with any failed rows first in line: so a send that fails half-way can
    never let a later event of a case overtake an earlier one.

    A relay never publishes a row to a broker it has not checked for loss: before each
    round it asks the broker for its cluster id (the incarnation of its data), and when
    that is not the one it last checked, it first re-queues every retained row that
    broker cannot show (see :meth:`requeue_lost`). Each acknowledged row records the
    cluster that acknowledged it, so offsets of different incarnations are never mixed.

    Several replicas may run against one PostgreSQL database: the one holding the
    service's advisory lock publishes, the others wait their turn (one publisher keeps
    the order across replicas). On SQLite (one replica by construction) rows are read,
    sent, then marked in a short write transaction, so no write lock is held while
    waiting for the network.
    """

    def __init__(
        self,
        db: Database,
        tables: BusTables,
        config: RelayConfig,
        clock: Clock = utc_now,
        maintenance: Callable[[], object] | None = None,
    ) -> None:
        self.db = db
        self.outbox = tables.outbox
        self.config = config
        self.clock = clock
        self.maintenance = maintenance
        self._lock_key = zlib.crc32(f"outbox-relay:{config.service}".encode()) & 0x7FFFFFFF
        self.connected = False
        self._producer: AIOKafkaProducer | None = None
        self._db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-relay")
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._checked_cluster: str | None = None

    async def _in_db(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._db_thread, fn, *args)

    def wake(self) -> None:
        """Nudge the relay after a commit, so events leave without waiting for the poll.

        Safe to call from any thread (request handlers run in a thread pool)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def broker_reachable(self, timeout: float = 2.0) -> bool:
        producer = self._producer
        if producer is None or not self.connected:
            return False
        try:
            await asyncio.wait_for(producer.client.fetch_all_metadata(), timeout)
            return True
        except Exception:
            return False

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.0
        last_check = float("-inf")
        loop = self._loop = asyncio.get_running_loop()
        try:
            while not stop.is_set():
                try:
                    producer = await self._ensure_producer()
                    more = await self.publish_batch(producer)
                    if loop.time() - last_check >= self.config.check_broker_seconds:
                        last_check = loop.time()
                        await self.requeue_lost(producer)
                        if self.maintenance is not None:
                            await self._in_db(self.maintenance)
                    backoff = 0.0
                    if not more:
                        await self._sleep(stop, self.config.idle_seconds)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    self.connected = False
                    backoff = next_backoff(backoff)
                    log.warning("outbox_relay_retry", error=str(exc)[:300], retry_in=backoff)
                    await self._drop_producer()
                    await self._sleep(stop, backoff)
        finally:
            await self._drop_producer()
            self._db_thread.shutdown(wait=True)

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        self._wake.clear()
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
        _done, pending = await asyncio.wait(
            waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED
        )
        for task in (*pending, *_done):
            task.cancel()

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = make_producer(
                self.config.bootstrap_servers,
                client_id=f"{self.config.service}-relay",
                request_timeout_ms=self.config.request_timeout_ms,
            )
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
            self.connected = True
        return self._producer

    async def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        self._checked_cluster = None
        if producer is not None:
            try:
                await producer.stop()
            except Exception as exc:
                log.debug("producer_stop_failed", error=str(exc))

    async def publish_batch(self, producer: AIOKafkaProducer) -> bool:
        """Publish one round of pending rows; True when more may be waiting."""
        session, rows = await self._in_db(self._claim)
        try:
            if not rows:
                return False
            cluster = await cluster_id(producer.client)
            if cluster != self._checked_cluster:
                if session is not None:
                    await self._in_db(session.close)
                    session = None
                await self.requeue_lost(producer, cluster)
                return True
            rounds = await self._record_batches(producer, rows)
            sent = [
                (batch_rows, await producer.send_batch(batch, tp.topic, partition=tp.partition))
                for tp, (batch, batch_rows) in rounds.items()
            ]
            results = await asyncio.gather(*(fut for _, fut in sent), return_exceptions=True)
            now = self.clock()
            acked: list[dict[str, Any]] = []
            failed: list[dict[str, Any]] = []
            for (batch_rows, _), res in zip(sent, results, strict=True):
                if isinstance(res, BaseException):
                    failed += [{"row_id": row.id, "err": repr(res)[:500]} for row in batch_rows]
                else:
                    acked += [
                        {
                            "row_id": row.id,
                            "p": res.partition,
                            "o": res.offset + i,
                            "at": now,
                            "c": cluster,
                        }
                        for i, row in enumerate(batch_rows)
                    ]
            fault_point("relay.after_publish")
            await self._in_db(self._mark, session, acked, failed)
            session = None
            PUBLISHED.labels(self.config.service).inc(len(acked))
            self.connected = True
            if failed:
                raise ConnectionError(f"{len(failed)} of {len(rows)} events not acknowledged")
            return len(rows) >= self.config.batch_size or len(acked) < len(rows)
        finally:
            if session is not None:
                await self._in_db(session.close)

    async def _record_batches(
        self, producer: AIOKafkaProducer, rows: list[Any]
    ) -> dict[TopicPartition, tuple[Any, list[Any]]]:
        """Per partition, one record batch of rows in id order; a full batch ends that
        partition's round, so no later row of it can go out before the rest."""
        partitions: dict[str, list[int]] = {}
        batches: dict[TopicPartition, tuple[Any, list[Any]]] = {}
        full: set[TopicPartition] = set()
        for row in rows:
            if row.topic not in partitions:
                partitions[row.topic] = sorted(await producer.partitions_for(row.topic))
            key = row.message_key.encode() if row.message_key else None
            all_partitions = partitions[row.topic]
            tp = TopicPartition(row.topic, case_partitioner(key, all_partitions, all_partitions))
            if tp in full:
                continue
            if tp not in batches:
                batches[tp] = (producer.create_batch(), [])
            batch, batch_rows = batches[tp]
            headers = [(EVENT_ID_HEADER, row.event_id.encode())]
            if (
                batch.append(key=key, value=row.body.encode(), timestamp=None, headers=headers)
                is None
            ):
                full.add(tp)
                continue
            batch_rows.append(row)
        return {tp: pair for tp, pair in batches.items() if pair[1]}

    def _claim(self) -> tuple[Session | None, list[Any]]:
        query = (
            select(
                self.outbox.c.id,
                self.outbox.c.event_id,
                self.outbox.c.topic,
                self.outbox.c.message_key,
                self.outbox.c.body,
            )
            .where(self.outbox.c.published_at.is_(None))
            .order_by(self.outbox.c.id)
            .limit(self.config.batch_size)
        )
        if self.db.is_sqlite:
            with self.db.reader() as reader:
                return None, list(reader.execute(query))
        session = Session(self.db.engine)
        try:
            ours = session.execute(select(func.pg_try_advisory_xact_lock(self._lock_key))).scalar()
            rows = list(session.execute(query)) if ours else []
        except BaseException:
            session.close()
            raise
        if not rows:
            session.close()
            return None, []
        return session, rows

    def _mark(
        self, session: Session | None, acked: list[dict[str, Any]], failed: list[dict[str, Any]]
    ) -> None:
        """Mark a batch published with one statement; keep the broker's offset only on the
        newest row of each partition, which is all that the loss check reads back."""
        if session is None:
            with self.db.transaction() as writer:
                self._write_marks(writer, acked, failed)
            return
        try:
            self._write_marks(session, acked, failed)
            session.commit()
        finally:
            session.close()

    def _write_marks(
        self, session: Session, acked: list[dict[str, Any]], failed: list[dict[str, Any]]
    ) -> None:
        o = self.outbox.c
        for ids in _slices([a["row_id"] for a in acked], 900):
            session.execute(
                update(self.outbox)
                .where(o.id.in_(ids))
                .values(
                    published_at=acked[0]["at"],
                    broker_cluster=acked[0]["c"],
                    attempts=o.attempts + 1,
                    last_error=None,
                )
            )
        newest: dict[int, dict[str, Any]] = {}
        for a in acked:
            if a["p"] not in newest or a["o"] > newest[a["p"]]["o"]:
                newest[a["p"]] = a
        if newest:
            session.execute(
                update(self.outbox)
                .where(o.id == bindparam("row_id"))
                .values(partition=bindparam("p"), offset=bindparam("o")),
                list(newest.values()),
            )
        if failed:
            session.execute(
                update(self.outbox)
                .where(o.id == bindparam("row_id"))
                .values(attempts=o.attempts + 1, last_error=bindparam("err")),
                failed,
            )

    async def requeue_lost(
        self, producer: AIOKafkaProducer | None = None, cluster: str | None = None
    ) -> int:
        """Re-queue every retained row the broker cannot show; the count re-queued.

        Rows acknowledged by another cluster (another incarnation of the broker's data)
        are re-queued outright. For the rows this cluster acknowledged, and rows from
        before clusters were recorded, the newest row of each partition is read back at
        its recorded offset: when that offset is past the log's end or holds another
        event, the broker lost that topic's log and its retained rows go out again.
        Consumers' inboxes absorb the repeats. Reading the record back is used rather
        than comparing end offsets alone, because the local broker reports the end of
        a partition as the start of its last batch.
        """
        producer = producer or self._producer
        if producer is None:
            return 0
        if cluster is None:
            cluster = await cluster_id(producer.client)
        count = await self._in_db(self._requeue_from_other_clusters, cluster)
        latest = await self._in_db(self._latest_acknowledged, cluster)
        lost: set[tuple[str | None, str]] = set()
        if latest:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.config.bootstrap_servers,
                group_id=None,
                client_id=f"{self.config.service}-relay-check",
                enable_auto_commit=False,
                auto_offset_reset="none",
                request_timeout_ms=self.config.request_timeout_ms,
            )
            await consumer.start()
            try:
                for (acked_by, topic, partition), (offset, event_id) in latest.items():
                    if (acked_by, topic) in lost:
                        continue
                    tp = TopicPartition(topic, partition)
                    if await _holds(consumer, tp, offset, event_id) is False:
                        lost.add((acked_by, topic))
            finally:
                await consumer.stop()
        if lost:
            count += await self._in_db(self._requeue_topics, sorted(lost, key=str))
        self._checked_cluster = cluster
        if count:
            REPUBLISHED.labels(self.config.service).inc(count)
            log.warning(
                "broker_lost_events_requeued",
                cluster=cluster,
                topics=sorted({topic for _, topic in lost}),
                events=count,
            )
        return count

    def _requeue_from_other_clusters(self, cluster: str) -> int:
        o = self.outbox.c
        with self.db.transaction() as session:
            result = session.execute(
                update(self.outbox)
                .where(
                    o.published_at.is_not(None),
                    o.broker_cluster.is_not(None),
                    o.broker_cluster != cluster,
                )
                .values(**_PENDING_AGAIN)
            )
            return affected(result)

    def _latest_acknowledged(
        self, cluster: str
    ) -> dict[tuple[str | None, str, int], tuple[int, str]]:
        """Per acknowledging cluster (this one, or none recorded) and partition, the
        offset and event id of the newest acknowledged row."""
        o = self.outbox.c
        ours = or_(o.broker_cluster == cluster, o.broker_cluster.is_(None))
        newest = (
            select(
                o.broker_cluster,
                o.topic,
                o.partition,
                func.max(o.offset).label("offset"),
            )
            .where(o.published_at.is_not(None), o.offset.is_not(None), ours)
            .group_by(o.broker_cluster, o.topic, o.partition)
            .subquery()
        )
        query = select(o.broker_cluster, o.topic, o.partition, o.offset, o.event_id).join(
            newest,
            and_(
                o.topic == newest.c.topic,
                o.partition == newest.c.partition,
                o.offset == newest.c.offset,
                or_(
                    o.broker_cluster == newest.c.broker_cluster,
                    and_(o.broker_cluster.is_(None), newest.c.broker_cluster.is_(None)),
                ),
            ),
        )
        with self.db.reader() as session:
            return {(c, t, p): (off, eid) for c, t, p, off, eid in session.execute(query)}

    def _requeue_topics(self, lost: list[tuple[str | None, str]]) -> int:
        o = self.outbox.c
        count = 0
        with self.db.transaction() as session:
            for acked_by, topic in lost:
                same_cluster = (
                    o.broker_cluster.is_(None) if acked_by is None else o.broker_cluster == acked_by
                )
                result = session.execute(
                    update(self.outbox)
                    .where(o.topic == topic, o.published_at.is_not(None), same_cluster)
                    .values(**_PENDING_AGAIN)
                )
                count += affected(result)
        return count


async def _holds(
    consumer: AIOKafkaConsumer, tp: TopicPartition, offset: int, event_id: str
) -> bool | None:
    """Whether the broker still has our event at ``offset``; None when it cannot tell."""
    consumer.assign([tp])
    consumer.seek(tp, offset)
    try:
        batch = await consumer.getmany(tp, timeout_ms=3000, max_records=1)
    except (OffsetOutOfRangeError, UnknownTopicOrPartitionError):
        return False
    records = batch.get(tp, [])
    if not records:
        ends = await consumer.end_offsets([tp])
        if ends.get(tp, 0) <= offset:
            return False
        batch = await consumer.getmany(tp, timeout_ms=3000, max_records=1)
        records = batch.get(tp, [])
        if not records:
            return None
    record = records[0]
    return record.offset == offset and dict(record.headers or ()).get(EVENT_ID_HEADER) == (
        event_id.encode()
    )


def _slices(items: list[int], size: int) -> list[list[int]]:
    """SQLite caps bound parameters per statement; stay well under it."""
    return [items[i : i + size] for i in range(0, len(items), size)]
