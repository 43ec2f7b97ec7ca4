"""The promise due check, run every ``due_check_minutes`` beside the service's runtime so
that deadlines pass even on a case no payment arrives for."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from fastapi import FastAPI

from services.contact.promises.service import check_due
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)


def run_due_check(runtime: Runtime) -> int:
    with runtime.work() as uow:
        return check_due(uow)


async def _every(runtime: Runtime, seconds: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        if runtime.migrated:
            try:
                decided = await asyncio.to_thread(run_due_check, runtime)
                if decided:
                    log.info("promise_due_check", decided=decided)
            except Exception as exc:
                log.warning("promise_due_check_failed", error=str(exc)[:300])
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)


def with_due_check(app: FastAPI, seconds: float) -> None:
    """Run the due check for as long as the app runs (inside its own lifespan)."""
    inner: Callable[[FastAPI], AbstractAsyncContextManager[None]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        async with inner(running):
            stop = asyncio.Event()
            task = asyncio.create_task(_every(running.state.runtime, seconds, stop))
            try:
                yield
            finally:
                stop.set()
                await task

    app.router.lifespan_context = lifespan
