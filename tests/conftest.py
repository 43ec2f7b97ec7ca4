"""Fixtures shared by every level: a database per test (SQLite, or PostgreSQL under
TEST_POSTGRES=1) and one real Kafka-protocol broker per session."""

from __future__ import annotations

import importlib
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.db import migrate
from shared.devtools.broker import LocalBroker
from shared.devtools.postgres import LocalPostgres
from shared.runtime import Runtime

USE_POSTGRES = os.environ.get("TEST_POSTGRES") == "1"


@pytest.fixture(scope="session")
def local_postgres() -> Iterator[LocalPostgres | None]:
    if not USE_POSTGRES:
        yield None
        return
    with LocalPostgres() as pg:
        yield pg


class DatabaseFactory:
    """Hands out fresh, empty databases: several per test when services each need one."""

    def __init__(self, postgres: LocalPostgres | None, folder: Path) -> None:
        self.postgres = postgres
        self.folder = folder
        self.created: list[str] = []

    def new(self, label: str = "db") -> str:
        if self.postgres is None:
            return f"sqlite:///{self.folder / f'{label}-{uuid.uuid4().hex[:8]}.db'}"
        name = f"t_{label}_{uuid.uuid4().hex[:10]}"
        self.created.append(name)
        return self.postgres.create_database(name)

    def drop_all(self) -> None:
        if self.postgres is not None:
            for name in self.created:
                self.postgres.drop_database(name)


@pytest.fixture
def databases(local_postgres: LocalPostgres | None, tmp_path: Path) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(local_postgres, tmp_path)
    yield factory
    factory.drop_all()


@pytest.fixture
def database_url(databases: DatabaseFactory) -> str:
    return databases.new()


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    log = tmp_path_factory.mktemp("broker") / "broker.log"
    with LocalBroker(log_path=log) as running:
        yield running


FIXED_NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def service_runtime(databases: DatabaseFactory, tmp_path: Path) -> Callable[[str], Runtime]:
    """A service's runtime on a fresh, migrated database, its clock fixed at FIXED_NOW; no
    broker is started (handlers run through ``runtime.dispatch``)."""

    def make(name: str) -> Runtime:
        main = importlib.import_module(f"services.{name}.main")
        settings_module = importlib.import_module(f"services.{name}.settings")
        settings_cls = getattr(settings_module, f"{name.capitalize()}Settings")
        settings = settings_cls(
            environment="test",
            database_url=databases.new(name),
            data_dir=tmp_path / name,
            kafka_bootstrap_servers="127.0.0.1:1",
        )
        runtime: Runtime = main.create_app(settings, clock=lambda: FIXED_NOW).state.runtime
        migrate(runtime.db, runtime.parts.migrations)
        if runtime.parts.on_migrated is not None:
            runtime.parts.on_migrated(runtime)
        return runtime

    return make
