"""How long the bus tables keep their rows, and what is pending in them.

Published outbox rows are kept for a window so that a broker which lost its log can be
given them again; inbox rows are kept at least as long as a topic keeps its messages, so
any redelivery the broker can still make is recognised. Older rows are deleted in small
batches, each its own short transaction, so pruning never holds the write lock for long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import Gauge
from sqlalchemy import ColumnElement, Table, delete, func, select

from shared.bus.tables import BusTables
from shared.clock import Clock, as_utc, utc_now
from shared.db import Database, affected
from shared.logging import get_logger

log = get_logger(__name__)

PRUNE_CHUNK = 1000

OUTBOX_PENDING = Gauge("outbox_pending_rows", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_PENDING = Gauge(
    "outbox_oldest_pending_seconds", "Age of the oldest unpublished outbox row", ["service"]
)
BUS_ROWS = Gauge("bus_table_rows", "Rows kept in the bus tables", ["service", "table"])
PRUNED = Gauge("bus_rows_pruned_last_run", "Rows pruned by the last retention run", ["service"])


@dataclass(frozen=True)
class BusBacklog:
    pending: int
    oldest_pending_seconds: float
    outbox_rows: int
    inbox_rows: int


class BusRetention:
    def __init__(
        self,
        db: Database,
        tables: BusTables,
        *,
        outbox_window: timedelta,
        inbox_window: timedelta,
        service: str,
        clock: Clock = utc_now,
        chunk: int = PRUNE_CHUNK,
    ) -> None:
        self.db = db
        self.outbox = tables.outbox
        self.inbox = tables.inbox
        self.outbox_window = outbox_window
        self.inbox_window = inbox_window
        self.service = service
        self.clock = clock
        self.chunk = chunk

    def run_once(self) -> int:
        """Prune what is past its window, then publish the backlog gauges."""
        now = self.clock()
        o, i = self.outbox.c, self.inbox.c
        pruned = self._prune(
            self.outbox,
            o.id,
            (o.published_at.is_not(None)) & (o.published_at < now - self.outbox_window),
        )
        pruned += self._prune(self.inbox, i.event_id, i.handled_at < now - self.inbox_window)
        backlog = self.backlog(now)
        OUTBOX_PENDING.labels(self.service).set(backlog.pending)
        OUTBOX_OLDEST_PENDING.labels(self.service).set(backlog.oldest_pending_seconds)
        BUS_ROWS.labels(self.service, "outbox").set(backlog.outbox_rows)
        BUS_ROWS.labels(self.service, "inbox").set(backlog.inbox_rows)
        PRUNED.labels(self.service).set(pruned)
        if pruned:
            log.info("bus_rows_pruned", rows=pruned)
        return pruned

    def _prune(self, table: Table, key: ColumnElement[Any], expired: ColumnElement[bool]) -> int:
        total = 0
        while True:
            with self.db.transaction() as session:
                doomed = select(key).where(expired).limit(self.chunk).scalar_subquery()
                deleted = affected(session.execute(delete(table).where(key.in_(doomed))))
            total += deleted
            if deleted < self.chunk:
                return total

    def backlog(self, now: datetime | None = None) -> BusBacklog:
        now = now or self.clock()
        o = self.outbox.c
        with self.db.reader() as session:
            pending, oldest = session.execute(
                select(func.count(), func.min(o.created_at)).where(o.published_at.is_(None))
            ).one()
            outbox_rows = session.execute(
                select(func.count()).select_from(self.outbox)
            ).scalar_one()
            inbox_rows = session.execute(select(func.count()).select_from(self.inbox)).scalar_one()
        age = (now - as_utc(oldest)).total_seconds() if oldest is not None else 0.0
        return BusBacklog(int(pending), max(age, 0.0), int(outbox_rows), int(inbox_rows))
