"""Reporting alone: rebuilding its read models, and the latency of its heaviest reports.

Events for ``cases`` cases (imported, assigned, one call, one payment each — 4 events a
case, the collectors and the agreement too) are encoded up front, as the broker would hand
them over, then applied to fresh tables through the rebuild's own path (:class:`FreshTables`,
batches of 2,000 as the rebuild reads them, SQLite or ``BENCH_DATABASE=postgres``) and
swapped in. Then the branch's monthly report and the bank's reconciliation statement are
timed over that book. Reading from the broker is not included (the relay bench shows it is
not the limit).
"""

from __future__ import annotations

import importlib
import os
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import databases
from shared.bus.apply import Delivery
from shared.db import migrate
from shared.events import catalog as ev
from shared.events import encode, new_event, topic_for

BATCH = int(os.environ.get("BENCH_REPORTING_BATCH", "2000"))  # the rebuild's default
COLLECTORS = 200
MONTH_START = datetime(2026, 10, 1, tzinfo=UTC)


def _deliveries(cases: int) -> list[Delivery]:
    out: list[Delivery] = []

    def add(payload: Any, at: datetime, case_id: str | None) -> None:
        event = new_event(payload, occurred_at=at, case_id=case_id)
        key = (case_id or str(event.event_id)).encode()
        out.append(Delivery(encode(event), topic_for(event.producer), key=key))

    add(
        ev.AgreementSaved(
            agreement_id="AG",
            client_id="BENCH",
            number="N",
            status="active",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            commission_rate=Decimal("0.12"),
            bucket_rates={"M3": Decimal("0.15")},
            reconciliation_day=1,
            recovery_target=Decimal("1000000"),
            saved_at=MONTH_START,
        ),
        MONTH_START,
        None,
    )
    for n in range(COLLECTORS):
        add(
            ev.CollectorUpdated(
                collector_id=f"c-{n}",
                name=f"催收员{n}",
                role="phone_collector",
                team_id=f"T{n % 20}",
                branch_id="B1",
                monthly_quota=Decimal("50000"),
                changed_at=MONTH_START,
            ),
            MONTH_START,
            None,
        )
    for n in range(cases):
        case_id = str(uuid.uuid4())
        at = MONTH_START + timedelta(seconds=n % 2_000_000)
        collector = f"c-{n % COLLECTORS}"
        add(
            ev.CaseImported(
                client_id="BENCH",
                agreement_id="AG",
                batch_id="b",
                account_ref=f"6222{n:012d}",
                product_type="card",
                debtor=ev.Person(name="张三"),
                debt=ev.Debt(total_owed=Decimal("1234.56")),
                overdue_since=date(2026, 8, 1),
                bucket="M2",
                received_at=at,
            ),
            at,
            case_id,
        )
        add(
            ev.CaseAssigned(
                client_id="BENCH",
                collector_id=collector,
                team_id=f"T{n % 20}",
                branch_id="B1",
                assigned_at=at,
            ),
            at,
            case_id,
        )
        add(
            ev.ContactAttempted(
                attempt_id=str(uuid.uuid4()),
                collector_id=collector,
                channel="phone",
                party="debtor",
                outcome="right_party_contact",
                attempted_at=at + timedelta(hours=1),
            ),
            at,
            case_id,
        )
        add(
            ev.PaymentReceived(
                client_id="BENCH",
                account_ref=f"6222{n:012d}",
                transaction_ref=f"T{n}",
                amount=Decimal("100.01"),
                paid_at=at + timedelta(days=1),
            ),
            at,
            case_id,
        )
    return out


def measure(cases: int) -> dict[str, Any]:
    from services.reporting.directory import collectors
    from services.reporting.periods import period_of
    from services.reporting.readmodel.rebuild import FreshTables
    from services.reporting.reports.collectors import branch_monthly
    from services.reporting.reports.reconciliation import statement

    deliveries = _deliveries(cases)
    with (
        tempfile.TemporaryDirectory(prefix="bench-reporting-") as scratch,
        databases.service_databases(Path(scratch) / "db", "reporting") as urls,
    ):
        main = importlib.import_module("services.reporting.main")
        settings_cls = importlib.import_module("services.reporting.settings").ReportingSettings
        runtime = main.create_app(
            settings_cls(
                data_dir=Path(scratch) / "reporting",
                database_url=urls["reporting"],
                log_level="WARNING",
            )
        ).state.runtime
        migrate(runtime.db, runtime.parts.migrations)
        fresh = FreshTables(runtime)
        fresh.create()
        started = time.perf_counter()
        handled = 0
        for i in range(0, len(deliveries), BATCH):
            handled += fresh.apply(deliveries[i : i + BATCH])
        fresh.swap()
        rebuild_seconds = time.perf_counter() - started
        month = period_of("month", MONTH_START.date())
        timings, recovered = {}, {}
        with runtime.db.reader() as session:
            staff = collectors(session)
            for name, run in (
                ("branch_monthly", lambda: branch_monthly(session, month, "B1", staff)),
                ("reconciliation", lambda: statement(session, "BENCH", month.first)),
            ):
                started = time.perf_counter()
                report = run()
                timings[name] = round(time.perf_counter() - started, 2)
                recovered[name] = str(report.summary.get("recovered"))
        runtime.db.dispose()
    return {
        "database": databases.kind(),
        "cases": cases,
        "events": handled,
        "rebuild_events_per_second": round(handled / rebuild_seconds),
        "report_seconds": timings,
        "reports_recovered": recovered,
    }


def report(figures: dict[str, Any]) -> str:
    t = figures["report_seconds"]
    return (
        f"reporting alone ({databases.label()}): rebuild {figures['events']:,} events at "
        f"{figures['rebuild_events_per_second']:,} events/s; over {figures['cases']:,} cases "
        f"branch monthly {t['branch_monthly']} s, reconciliation {t['reconciliation']} s"
    )


def measure_exports(rows: int) -> dict[str, Any]:
    """A reconciliation statement of ``rows`` payments (stored directly, not replayed) as
    CSV and as XLSX: seconds and the process's peak RSS, which should not grow with rows."""
    import resource

    from services.reporting.models import LIVE
    from services.reporting.reports.exports import report_csv_file, report_xlsx
    from services.reporting.reports.reconciliation import statement

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures: dict[str, Any] = {"rows": rows}
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as scratch:
        main = importlib.import_module("services.reporting.main")
        settings_cls = importlib.import_module("services.reporting.settings").ReportingSettings
        runtime = main.create_app(
            settings_cls(data_dir=Path(scratch) / "reporting", log_level="WARNING")
        ).state.runtime
        migrate(runtime.db, runtime.parts.migrations)
        for start in range(0, rows, 50_000):
            with runtime.db.transaction() as session:
                session.execute(
                    LIVE.payments.insert(),
                    [
                        {
                            "client_id": "BIG",
                            "transaction_ref": f"T{n}",
                            "case_id": f"case-{n}",
                            "amount": Decimal("100.01"),
                            "collector_id": None,
                            "paid_at": MONTH_START + timedelta(seconds=n % 2_000_000),
                        }
                        for n in range(start, min(start + 50_000, rows))
                    ],
                )
        figures["peak_rss_mb_before"] = round(peak_mb())
        for fmt, write in (("csv", report_csv_file), ("xlsx", report_xlsx)):
            started = time.perf_counter()
            with runtime.db.reader() as session:
                path = write(statement(session, "BIG", MONTH_START.date()), Path(scratch))
            figures[f"{fmt}_seconds"] = round(time.perf_counter() - started, 1)
            figures[f"{fmt}_mib"] = round(path.stat().st_size / 2**20, 1)
            figures[f"peak_rss_mb_after_{fmt}"] = round(peak_mb())
        runtime.db.dispose()
    return figures
