"""The rebuild against the real local broker: reporting consumes the October scenario
live, a rebuild reads every topic from offset zero while more events arrive, and after
the swap the figures are exactly the live ones, every event counted once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from services.reporting.catalog import store
from services.reporting.directory import collectors
from services.reporting.main import create_app
from services.reporting.periods import period_of
from services.reporting.readmodel.rebuild import Rebuilder
from services.reporting.reports import collectors as collector_reports
from services.reporting.reports.reconciliation import statement
from services.reporting.settings import ReportingSettings
from shared.bus.kafka import case_partitioner
from shared.db import migrate
from shared.devtools.broker import LocalBroker
from shared.events import Envelope, encode, topic_for
from tests.conftest import FIXED_NOW, DatabaseFactory
from tests.integration.bus_kit import eventually
from tests.reporting.scenario import cst, october

pytestmark = pytest.mark.broker


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A private broker: the topics must hold only this test's events."""
    with LocalBroker(log_path=tmp_path / "broker.log") as running:
        yield running


async def _produce(bootstrap: str, events: list[Envelope[Any]]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", partitioner=case_partitioner
    )
    await producer.start()
    try:
        for event in events:
            key = (event.case_id or str(event.event_id)).encode()
            await producer.send_and_wait(topic_for(event.producer), encode(event), key=key)
    finally:
        await producer.stop()


def _figures(runtime: Any) -> Any:
    with runtime.db.reader() as session:
        month = period_of("month", cst("10-15").date())
        return (
            statement(session, "BANK-A", month.first).as_json(),
            collector_reports.progress(session, month, collectors(session)).as_json(),
            store.case_counts_by_client(session),
            [tuple(t) for t in store.event_tallies(session)],
        )


def _tally(runtime: Any) -> int:
    with runtime.db.reader() as session:
        return sum(t.count for t in store.event_tallies(session))


async def test_a_rebuild_while_events_arrive_equals_the_live_model(
    own_broker: LocalBroker, databases: DatabaseFactory, tmp_path: Path
) -> None:
    scenario = october()
    late = october()  # a second month of the same shape, on other cases
    await _produce(own_broker.bootstrap_servers, scenario.events)
    app = create_app(
        ReportingSettings(
            environment="test",
            database_url=databases.new("reporting"),
            data_dir=tmp_path / "reporting",
            kafka_bootstrap_servers=own_broker.bootstrap_servers,
            kafka_session_timeout_ms=4000,
            rebuild_idle_seconds=2.0,
            log_json=False,
            log_level="WARNING",
        ),
        clock=lambda: FIXED_NOW,
    )
    runtime = app.state.runtime
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    try:
        await eventually(lambda: runtime.migrated, 30, "schema ready")
        total = len(scenario.events)
        await eventually(lambda: _tally(runtime) == total, 60, "live model caught up")
        rebuilder = Rebuilder(runtime, runtime.settings.rebuild_idle_seconds)
        rebuilder.start()
        await _produce(own_broker.bootstrap_servers, late.events)  # arrive during the rebuild
        await asyncio.wait_for(rebuilder.wait(), 120)
        assert rebuilder.status.state == "done", rebuilder.status
        total += len(late.events)
        await eventually(lambda: _tally(runtime) == total, 60, "every event counted once")
        rebuilt = _figures(runtime)
        recovered = rebuilt[0]["summary"]["recovered"]
        assert recovered == "1800.00"  # both months' October payments, once each
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 30)
    # and a database fed only live, from the same topics, has the same figures
    live_app = create_app(
        runtime.settings.model_copy(update={"database_url": databases.new("reporting_live")}),
        clock=lambda: FIXED_NOW,
    )
    live = live_app.state.runtime
    migrate(live.db, live.parts.migrations)
    assert not live.dispatch([*scenario.events, *late.events]).rejected
    assert _figures(live) == rebuilt
