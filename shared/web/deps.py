"""FastAPI dependencies every service uses: the runtime, a unit of work, a read session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from shared.bus.work import UnitOfWork
from shared.logging import correlation_id_var
from shared.runtime import Runtime


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_runtime(request: Request) -> Runtime:
    """`runtime_of` as a dependency; async because FastAPI runs a plain ``def`` dependency
    in the thread pool, a hop that costs more than the lookup."""
    return runtime_of(request)


def _unit_of_work(request: Request) -> Iterator[UnitOfWork]:
    with runtime_of(request).work(correlation_id_var.get()) as uow:
        yield uow


def _reader(request: Request) -> Iterator[Session]:
    with runtime_of(request).db.reader() as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
# scope="function": the transaction commits before the response is sent, so a failed
# commit answers with an error instead of a success that was never stored.
WorkDep = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
ReaderDep = Annotated[Session, Depends(_reader, scope="function")]
