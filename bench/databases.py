"""Which database the benches run on: SQLite files (default) or ``BENCH_DATABASE=postgres``.

On PostgreSQL a throw-away server is started on loopback, as the tests start theirs
(:class:`shared.devtools.postgres.LocalPostgres`), with one database per service; it is
stopped and deleted when the bench is done.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.devtools.postgres import LocalPostgres

KINDS = ("sqlite", "postgres")


def kind() -> str:
    chosen = (os.environ.get("BENCH_DATABASE") or "sqlite").lower()
    if chosen not in KINDS:
        raise SystemExit(f"BENCH_DATABASE={chosen!r}: choose one of {', '.join(KINDS)}")
    return chosen


def label() -> str:
    return "PostgreSQL" if kind() == "postgres" else "SQLite"


@contextmanager
def service_databases(folder: Path, *names: str) -> Iterator[dict[str, str]]:
    """A database URL per service name, fresh for this run."""
    if kind() == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield {name: f"sqlite:///{folder / name}.db" for name in names}
        return
    with LocalPostgres() as server:
        yield {name: server.create_database(f"bench_{name}") for name in names}
