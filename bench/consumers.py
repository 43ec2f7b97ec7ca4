"""Each consuming service's batch path alone: its handlers, inbox and outbox on SQLite
(or PostgreSQL with ``BENCH_DATABASE=postgres``).

The events a 20,000-case file causes (``CaseImported`` and ``CaseAssigned`` per case) are
applied through the same :class:`BatchApplier` the consumer runner uses, in batches of
the configured size, without a broker: what the service can take when it is alone.
"""

from __future__ import annotations

import importlib
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import databases
from shared.bus.apply import BatchApplier, Delivery
from shared.db import migrate
from shared.events import encode, new_event, topic_for
from shared.events.catalog import CaseAssigned, CaseImported, Debt, Person, Phone

SERVICES = ("assignment", "contact", "letters", "reporting")
BATCH = 500


def _events(cases: int) -> list[Delivery]:
    now = datetime.now(UTC)
    out: list[Delivery] = []
    for n in range(cases):
        case_id = str(uuid.uuid4())
        for payload in (
            CaseImported(
                client_id="BENCH",
                batch_id="b",
                account_ref=f"6222{n:012d}",
                debtor=Person(name="张三", phones=(Phone(number="13800138000"),)),
                debt=Debt(total_owed=Decimal("1234.56")),
                received_at=now,
            ),
            CaseAssigned(client_id="BENCH", collector_id=f"c-{n % 4}", assigned_at=now),
        ):
            event = new_event(payload, occurred_at=now, case_id=case_id)
            out.append(Delivery(encode(event), topic_for(event.producer), key=case_id.encode()))
    return out


def _runtime(name: str, folder: Path, url: str) -> Any:
    main = importlib.import_module(f"services.{name}.main")
    settings_cls = getattr(
        importlib.import_module(f"services.{name}.settings"), f"{name.capitalize()}Settings"
    )
    settings = settings_cls(data_dir=folder / name, database_url=url, log_level="WARNING")
    runtime = main.create_app(settings).state.runtime
    migrate(runtime.db, runtime.parts.migrations)
    return runtime


def measure(cases: int) -> dict[str, dict[str, float]]:
    deliveries = _events(cases)
    figures: dict[str, dict[str, float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="bench-consumers-") as scratch,
        databases.service_databases(Path(scratch) / "db", *SERVICES) as urls,
    ):
        for name in SERVICES:
            runtime = _runtime(name, Path(scratch), urls[name])
            if name == "assignment":
                _add_collectors(runtime)
            applier = BatchApplier(
                runtime.db, runtime.parts.tables, runtime.handlers, context=runtime.context
            )
            wanted = [d for d in deliveries if _type_of(d) in applier.handlers]
            started = time.perf_counter()
            handled = 0
            for i in range(0, len(wanted), BATCH):
                handled += applier.apply(wanted[i : i + BATCH]).handled_count
            seconds = time.perf_counter() - started
            figures[name] = {"events": handled, "events_per_second": round(handled / seconds)}
            runtime.db.dispose()
    return figures


def _type_of(delivery: Delivery) -> str:
    return "CaseAssigned" if b'"type":"CaseAssigned"' in delivery.value else "CaseImported"


def _add_collectors(runtime: Any) -> None:
    from services.assignment.staff import service
    from shared.auth.principal import Role

    with runtime.work() as uow:
        for n in range(4):
            service.add_staff(
                uow, username=f"c{n}", name=f"催收员{n}", role=Role.PHONE_COLLECTOR,
                password="a-long-password",
            )  # fmt: skip


def report(figures: dict[str, dict[str, float]]) -> str:
    return f"consumers alone ({databases.label()}, batches of {BATCH}): " + "  ".join(
        f"{name}={f['events_per_second']:,.0f} events/s" for name, f in figures.items()
    )
