"""The desk's hot routes: one session per request, opened and closed in one step, and
JSON built once by pydantic's core.

A route declared ``def`` costs several thread-pool hops per request (each ``yield``
dependency's entry and exit, the route, the check of its answer), and each hop costs more
than a SQLite read of a few indexed rows. Worse, the read session of ``ReaderDep`` stays
open until the answer is checked — in another hop — so under load every pooled
connection can be held by a request waiting for a thread while every thread waits for a
connection (the pool's 30 s timeout then ends it). ``read`` runs the whole read in one
go: on the event loop for SQLite (local, WAL readers never wait for a writer), in one hop
for PostgreSQL (a network round trip must not hold the loop).

Only for small, indexed reads (a page, a case, its contact details): a read that scans
many rows blocks every other request on the loop and belongs in a ``def`` route. A write
(``write``) always takes one hop: it may wait for SQLite's lock or PostgreSQL's rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from pydantic_core import to_json
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shared.bus.work import UnitOfWork
from shared.db import Database
from shared.logging import correlation_id_var

T = TypeVar("T")


async def read(request: Request, work: Callable[[Session], T]) -> T:
    """``work(session)`` in one read session of the service's database."""
    db: Database = request.app.state.runtime.db
    if db.is_sqlite:
        return _in_reader(db, work)
    return await run_in_threadpool(_in_reader, db, work)


def _in_reader(db: Database, work: Callable[[Session], T]) -> T:
    with db.reader() as session:
        return work(session)


async def write(request: Request, work: Callable[[UnitOfWork], T]) -> T:
    """``work(uow)`` in one write transaction (``WorkDep``'s), committed before it returns."""
    runtime = request.app.state.runtime
    correlation_id = correlation_id_var.get()

    def in_transaction() -> T:
        with runtime.work(correlation_id) as uow:
            return work(uow)

    return await run_in_threadpool(in_transaction)


def json_answer(content: Any, status_code: int = 200) -> Response:
    """Plain data (dicts, lists, str, int, Decimal, aware datetimes, dates) as the JSON
    FastAPI would send for the route's response model, without validating it again:
    pydantic's core writes Decimals as strings and UTC datetimes with ``Z`` as the
    models do. Callers give times already in UTC (``shared.clock.as_utc``)."""
    return Response(to_json(content), status_code=status_code, media_type="application/json")
