"""The whole platform as processes, as `make run` starts it, for end-to-end and browser tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.run_local import SERVICES, LocalPlatform
from shared.devtools.broker import free_port
from shared.devtools.postgres import LocalPostgres


@contextmanager
def running_platform(
    data_dir: Path,
    local_postgres: LocalPostgres | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[LocalPlatform]:
    """Broker and five services on free ports (PostgreSQL databases under TEST_POSTGRES),
    ready before the block runs, stopped after it."""
    env = {f"{s.upper()}_KAFKA_SESSION_TIMEOUT_MS": "4000" for s in SERVICES}
    if local_postgres is not None:
        for name in SERVICES:
            db = f"{data_dir.name}_{name}_{uuid.uuid4().hex[:6]}".lower()
            env[f"{name.upper()}_DATABASE_URL"] = local_postgres.create_database(db)
    env.update(extra_env or {})
    running = LocalPlatform({s: free_port() for s in SERVICES}, free_port(), data_dir, env)
    running.start()
    try:
        not_ready = running.wait_ready(timeout=120)
        assert not not_ready, f"not ready: {not_ready}; logs in {data_dir / 'logs'}"
        yield running
    finally:
        running.stop()
