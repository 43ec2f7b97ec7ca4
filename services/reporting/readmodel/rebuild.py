"""Rebuilding the read models from offset zero into fresh tables, swapped in when caught up.

The rebuild reads every subscribed topic from the beginning with a group-less consumer
and applies the same handlers to a fresh set of tables (``rebuild_*``, with their own
inbox and only the indexes the handlers read through; every index is made under the live
names at the swap, once over the filled tables rather than row by row). The
local broker answers end offsets wrongly (base offset of the last batch + 1), so
"caught up" is not taken from end offsets: it is **a poll that brings nothing for
``idle_seconds``**. Then the live consumer is paused between batches, the rebuild drains
what is left until one more poll brings nothing, and one transaction drops the live
tables, renames the fresh ones into their place, creates the query indexes and copies the
rebuild's inbox into the live inbox — so the live consumer, resumed, skips what the
rebuild already applied and applies what came after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, text

from services.reporting.purge import reapply_purges
from services.reporting.readmodel.tables import (
    HANDLER_INDEXES,
    SECONDARY_INDEXES,
    index_name,
    read_model_tables,
    secondary_index_ddl,
)
from services.reporting.subscriptions import READ_MODEL_HANDLERS
from shared.bus.apply import BatchApplier, Delivery
from shared.bus.handlers import subscribed_topics
from shared.bus.kafka import make_consumer
from shared.bus.tables import BusTables
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)
PREFIX = "rebuild_"


class FreshTables:
    """The rebuild's tables and the applier that fills them (Kafka-free, so it is tested
    through the same path with events fed directly)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.metadata = MetaData()
        self.model = read_model_tables(self.metadata, PREFIX)
        self.inbox = Table(
            f"{PREFIX}inbox",
            self.metadata,
            Column("event_id", String(36), primary_key=True),
            Column("event_type", String(64), nullable=False),
            Column("topic", String(200), nullable=False),
            Column("handled_at", DateTime(timezone=True), nullable=False),
        )
        tables = BusTables(outbox=runtime.parts.tables.outbox, inbox=self.inbox)
        self.applier = BatchApplier(
            runtime.db,
            tables,
            READ_MODEL_HANDLERS,
            runtime.clock,
            context=runtime.context.with_extra(self.model),
        )
        self.topics = subscribed_topics(READ_MODEL_HANDLERS)

    def create(self) -> None:
        """Start from nothing: an earlier, unfinished rebuild's tables are dropped."""
        with self.runtime.db.transaction() as session:
            self.metadata.drop_all(session.connection())
            self.metadata.create_all(session.connection())
            for ddl in secondary_index_ddl(PREFIX, HANDLER_INDEXES):
                session.execute(text(ddl))

    def apply(self, deliveries: Sequence[Delivery]) -> int:
        outcome = self.applier.apply(deliveries)
        for rejected in outcome.rejected:
            log.error("rebuild_event_rejected", error=rejected.error[:300])
        return outcome.handled_count

    def swap(self) -> None:
        live_inbox = self.runtime.parts.tables.inbox.name
        with self.runtime.db.transaction() as session:
            postgres = session.get_bind().dialect.name == "postgresql"
            for table, columns in SECONDARY_INDEXES:
                session.execute(text(f"DROP INDEX IF EXISTS {index_name(table, columns, PREFIX)}"))
            for table in self.model.all():
                live = table.name.removeprefix(PREFIX)
                session.execute(text(f"DROP TABLE IF EXISTS {live}"))
                session.execute(text(f"ALTER TABLE {table.name} RENAME TO {live}"))
                if postgres:
                    session.execute(text(f"ALTER INDEX {table.name}_pkey RENAME TO {live}_pkey"))
            for ddl in secondary_index_ddl():
                session.execute(text(ddl))
            reapply_purges(session, self.runtime.settings)
            session.execute(
                text(
                    f"INSERT INTO {live_inbox} (event_id, event_type, topic, handled_at) "
                    f"SELECT event_id, event_type, topic, handled_at FROM {self.inbox.name} "
                    "WHERE true ON CONFLICT (event_id) DO NOTHING"
                )
            )
            session.execute(text(f"DROP TABLE {self.inbox.name}"))


@dataclass
class RebuildStatus:
    state: str = "idle"  # idle, reading, swapping, done, failed
    started_at: datetime | None = None
    finished_at: datetime | None = None
    events: int = 0
    error: str | None = None
    topics: list[str] = field(default_factory=list)


class Rebuilder:
    """One rebuild at a time, run as a task on the service's event loop."""

    def __init__(self, runtime: Runtime, idle_seconds: float) -> None:
        self.runtime = runtime
        self.idle_seconds = idle_seconds
        self.status = RebuildStatus()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self.status = RebuildStatus(state="reading", started_at=self.runtime.clock())
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def wait(self) -> None:
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        fresh = FreshTables(self.runtime)
        self.status.topics = list(fresh.topics)
        settings = self.runtime.settings
        consumer = make_consumer(
            settings.kafka_bootstrap_servers,
            *fresh.topics,
            group_id=None,
            client_id=f"{settings.service_name}-rebuild",
        )
        try:
            await asyncio.to_thread(fresh.create)
            await consumer.start()
            await self._read(consumer, fresh, self.idle_seconds)
            self.status.state = "swapping"
            live = self.runtime.consumer
            async with live.paused() if live is not None else _nothing():
                await self._read(consumer, fresh, 0.0)
                await asyncio.to_thread(fresh.swap)
            self.status.state = "done"
        except Exception as exc:
            log.error("rebuild_failed", error=str(exc)[:300])
            self.status.state, self.status.error = "failed", str(exc)[:500]
        finally:
            self.status.finished_at = self.runtime.clock()
            await consumer.stop()

    async def _read(self, consumer: Any, fresh: FreshTables, idle_seconds: float) -> None:
        """Until a poll brings nothing and nothing came for ``idle_seconds``."""
        quiet_since = time.monotonic()
        batch = self.runtime.settings.rebuild_batch_size  # type: ignore[attr-defined]
        while True:
            fetched = await consumer.getmany(timeout_ms=500, max_records=batch)
            records = [r for part in fetched.values() for r in part]
            if records:
                deliveries = [
                    Delivery(r.value, r.topic, r.partition, r.offset, r.key) for r in records
                ]
                self.status.events += await asyncio.to_thread(fresh.apply, deliveries)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= idle_seconds:
                return


class _nothing:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None
