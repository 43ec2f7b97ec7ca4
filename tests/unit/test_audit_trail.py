"""The audit trail writes finished requests' rows in batches while the service runs, at
once when it does not, and loses nothing when a write fails or the service stops."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, event, func, select

from shared.auth.audit import AuditTrail
from shared.auth.tables import security_tables
from shared.db import Database

AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _row(n: int) -> dict[str, object]:
    return {
        "subject": f"u-{n}",
        "subject_kind": "staff",
        "role": "phone_collector",
        "action": "read",
        "method": "GET",
        "path": f"/cases/c-{n}",
        "case_id": f"c-{n}",
        "client_id": "BANK-A",
        "outcome": "200",
        "source_ip": "127.0.0.1",
        "correlation_id": None,
    }


@pytest.fixture
def trail(tmp_path: Path) -> Iterator[AuditTrail]:
    metadata = MetaData()
    table = security_tables(metadata).audit_log
    db = Database(f"sqlite:///{tmp_path / 'audit.db'}")
    metadata.create_all(db.engine)
    yield AuditTrail(db, table, lambda: AT)
    db.dispose()


def _count(trail: AuditTrail) -> int:
    with trail.db.reader() as session:
        return int(session.execute(select(func.count()).select_from(trail.table)).scalar_one())


def _inserts(trail: AuditTrail) -> list[int]:
    """Rows per INSERT statement executed on the trail's engine."""
    seen: list[int] = []

    @event.listens_for(trail.db.engine, "before_cursor_execute")
    def count(conn, cursor, statement, params, context, executemany) -> None:
        if statement.startswith("INSERT INTO audit_log"):
            seen.append(len(params) if executemany else 1)

    return seen


def test_without_the_writer_running_each_row_is_written_at_once(trail: AuditTrail) -> None:
    asyncio.run(trail.record(_row(1)))
    assert _count(trail) == 1


def test_while_running_rows_that_arrive_together_share_one_write_and_stopping_flushes(
    trail: AuditTrail,
) -> None:
    inserts = _inserts(trail)

    async def scenario() -> tuple[int, int]:
        stop = asyncio.Event()
        writer = asyncio.create_task(trail.run(stop))
        await asyncio.sleep(0)
        await asyncio.gather(*(trail.record(_row(n)) for n in range(50)))
        before = _count(trail)
        await asyncio.sleep(0.2)
        written = _count(trail)
        await trail.record(_row(99))
        stop.set()
        await writer
        return before, written

    before, written = asyncio.run(scenario())
    assert before == 0, "nothing is written inside the request"
    assert written == 50
    assert inserts[0] == 50, "fifty requests, one insert"
    assert _count(trail) == 51, "the row taken just before stopping is written on the way out"


def test_a_failed_write_keeps_the_rows_for_the_next(trail: AuditTrail) -> None:
    trail.table.drop(trail.db.engine)
    with pytest.raises(Exception, match="audit_log"):
        asyncio.run(trail.record(_row(1)))
    trail.table.create(trail.db.engine)
    assert trail.flush() == 1
    assert _count(trail) == 1


def test_a_flush_waits_for_the_one_under_way_so_reading_after_it_sees_every_row(
    trail: AuditTrail,
) -> None:
    """The writer has taken the pending rows and is inside its transaction when a reader
    flushes: the reader's flush must not return before those rows are committed."""
    writing, release = threading.Event(), threading.Event()

    @event.listens_for(trail.db.engine, "before_cursor_execute")
    def hold(conn, cursor, statement, params, context, executemany) -> None:
        if statement.startswith("INSERT INTO audit_log") and not writing.is_set():
            writing.set()
            release.wait(5)

    asyncio.run(_pending(trail, _row(1)))
    writer = threading.Thread(target=trail.flush)
    writer.start()
    assert writing.wait(5)
    reader_done = threading.Event()

    def read() -> None:
        trail.flush()
        reader_done.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert not reader_done.wait(0.2), "the reader's flush returned while rows were in flight"
    release.set()
    writer.join(5)
    reader.join(5)
    assert _count(trail) == 1


async def _pending(trail: AuditTrail, row: dict[str, object]) -> None:
    """Take a row as the running writer would, without writing it yet."""
    trail._wake = asyncio.Event()
    try:
        await trail.record(row)
    finally:
        trail._wake = None


def test_a_row_the_database_refuses_is_dropped_and_the_others_are_written(
    trail: AuditTrail,
) -> None:
    """One row refused for its content (here: no subject) must not block the trail."""
    bad = {**_row(2), "subject": None}

    for row in (_row(1), bad, _row(3)):
        asyncio.run(_pending(trail, row))
    assert trail.flush() == 2
    with trail.db.reader() as session:
        subjects = set(session.execute(select(trail.table.c.subject)).scalars())
    assert subjects == {"u-1", "u-3"}
    assert trail.flush() == 0, "nothing left pending"
