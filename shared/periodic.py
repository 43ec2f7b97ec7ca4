"""A job run every few minutes beside a service's runtime (inside the app's lifespan), for
deadlines that pass without any event arriving: contact's promise due check, letters'
day-7 overdue notices. The job takes the runtime and returns how much it did."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from fastapi import FastAPI

from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)
Job = Callable[[Runtime], int]


async def _every(
    runtime: Runtime, job: Job, name: str, seconds: float, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        if runtime.migrated:
            try:
                done = await asyncio.to_thread(job, runtime)
                if done:
                    log.info(name, done=done)
            except Exception as exc:
                log.warning(f"{name}_failed", error=str(exc)[:300])
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)


def run_every(app: FastAPI, seconds: float, job: Job, name: str) -> None:
    """Run ``job`` every ``seconds`` for as long as the app runs."""
    inner: Callable[[FastAPI], AbstractAsyncContextManager[object]] = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        async with inner(running):
            stop = asyncio.Event()
            task = asyncio.create_task(_every(running.state.runtime, job, name, seconds, stop))
            try:
                yield
            finally:
                stop.set()
                await task

    app.router.lifespan_context = lifespan
