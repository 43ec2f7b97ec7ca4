"""Bus tables keep rows for their window, then are pruned in small batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY
from sqlalchemy import func, select, update

from shared.bus.outbox import Outbox
from shared.bus.retention import BusRetention

from .bus_kit import KIT_BUS, assigned_event, kit_database

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def count(db, table) -> int:  # type: ignore[no-untyped-def]
    with db.reader() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_old_published_and_handled_rows_are_pruned_pending_ones_never(database_url: str) -> None:
    db = kit_database(database_url)
    old, recent, waiting = (
        [assigned_event() for _ in range(25)],
        [assigned_event() for _ in range(5)],
        [assigned_event() for _ in range(3)],
    )
    outbox = KIT_BUS.outbox
    with db.transaction() as session:
        Outbox(KIT_BUS).add_all(session, [*old, *recent, *waiting])
        for events, published in (
            (old, NOW - timedelta(days=8)),
            (recent, NOW - timedelta(days=1)),
        ):
            ids = [str(e.event_id) for e in events]
            session.execute(
                update(outbox).where(outbox.c.event_id.in_(ids)).values(published_at=published)
            )
        session.execute(
            update(outbox)
            .where(outbox.c.event_id.in_([str(e.event_id) for e in waiting]))
            .values(created_at=NOW - timedelta(days=30))
        )
        session.execute(
            KIT_BUS.inbox.insert(),
            [
                {
                    "event_id": f"seen-{i}",
                    "event_type": "CaseAssigned",
                    "topic": "t",
                    "handled_at": NOW - timedelta(days=20 if i < 12 else 2),
                }
                for i in range(15)
            ],
        )

    retention = BusRetention(
        db,
        KIT_BUS,
        outbox_window=timedelta(days=7),
        inbox_window=timedelta(days=14),
        service="kit-retention",
        clock=lambda: NOW,
        chunk=10,
    )
    assert retention.run_once() == 25 + 12
    assert count(db, outbox) == 5 + 3
    assert count(db, KIT_BUS.inbox) == 3
    backlog = retention.backlog()
    assert backlog.pending == 3
    assert backlog.oldest_pending_seconds == timedelta(days=30).total_seconds()
    labels = {"service": "kit-retention"}
    assert REGISTRY.get_sample_value("outbox_pending_rows", labels) == 3
    assert REGISTRY.get_sample_value("outbox_oldest_pending_seconds", labels) == 30 * 86400
    assert retention.run_once() == 0
