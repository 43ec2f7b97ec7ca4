"""Contact alone, in-process on SQLite: attempts logged per second through the API with the
contact rules checked, and the latency of ``contact-check`` for a debtor with 1,000
earlier attempts. Requests go through the app's ASGI interface without sockets (the bus
is not started: no broker; the audit trail's writer is, as in the running service), four
collectors logging at once; the framework, token check, visibility and audit row are
included, and so is the client's own work in the CPU figures."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from services.contact.attempts.models import ContactAttempt
from services.contact.main import create_app
from services.contact.settings import ContactSettings
from shared.auth.keys import generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_token
from shared.db import migrate
from shared.events import new_event
from shared.events.catalog import CaseAssigned, CaseImported, Debt, Person, Phone

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Shanghai
COLLECTOR = Principal(subject="bench-collector", kind="staff", role=Role.PHONE_COLLECTOR)
HISTORY = 1_000
WORKERS = 4


@dataclass(frozen=True)
class ContactFigures:
    attempts: int
    attempts_per_second: float
    attempts_per_cpu_second: float
    checks: int
    check_cpu_ms: float
    check_p50_ms: float
    check_p99_ms: float

    def as_json(self) -> dict[str, float]:
        return {
            "attempts": self.attempts,
            "attempts_per_second": round(self.attempts_per_second),
            "attempts_per_cpu_second": round(self.attempts_per_cpu_second),
            "checks": self.checks,
            "check_cpu_ms": round(self.check_cpu_ms, 2),
            "check_p50_ms": round(self.check_p50_ms, 2),
            "check_p99_ms": round(self.check_p99_ms, 2),
        }


def _cases(count: int, debtor_id: str | None = None) -> tuple[list[str], list[Any]]:
    ids, events = [], []
    for n in range(count):
        case_id = str(uuid.uuid4())
        ids.append(case_id)
        debtor = Person(
            name="张三",
            id_number=debtor_id or f"1101011990{n:08d}",
            phones=(Phone(number="13800138000"),),
        )
        imported = CaseImported(
            client_id="BENCH",
            batch_id="b",
            account_ref=f"6222{n:012d}",
            debtor=debtor,
            debt=Debt(total_owed=1234),
            received_at=NOW,
        )
        assigned = CaseAssigned(
            client_id="BENCH", collector_id=COLLECTOR.subject, assigned_at=NOW - timedelta(hours=1)
        )
        for payload in (imported, assigned):
            events.append(new_event(payload, occurred_at=NOW, case_id=case_id))
    return ids, events


def _history(runtime: Any, case_id: str) -> None:
    """1,000 earlier calls, about twelve a day over the last 80 days."""
    rows = [
        ContactAttempt(
            id=str(uuid.uuid4()),
            case_id=case_id,
            collector_id=COLLECTOR.subject,
            channel="phone",
            direction="outbound",
            party="debtor",
            used="13800138000",
            started_at=NOW - timedelta(hours=2 * (n + 1)),
            outcome="no_answer",
            logged_at=NOW,
        )
        for n in range(HISTORY)
    ]
    with runtime.work() as uow:
        uow.session.add_all(rows)


async def _drive(
    app: Any, case_ids: list[str], busy: str, checks: int, headers: dict[str, str]
) -> tuple[float, float, list[float], float]:
    """The requests through the app's ASGI interface (as a server would pass them, without
    sockets); attempts from ``WORKERS`` collectors at once, checks one at a time."""
    transport = httpx.ASGITransport(app=app)
    # The audit trail's writer, as the running service has it (rows written in batches);
    # without it every request writes its own audit row.
    stop = asyncio.Event()
    audit = asyncio.create_task(app.state.runtime.audit.run(stop))
    try:
        return await _requests(transport, case_ids, busy, checks, headers)
    finally:
        stop.set()
        await audit


async def _requests(
    transport: httpx.ASGITransport,
    case_ids: list[str],
    busy: str,
    checks: int,
    headers: dict[str, str],
) -> tuple[float, float, list[float], float]:
    async with httpx.AsyncClient(transport=transport, base_url="http://contact") as client:
        body = _call()

        async def log(share: list[str]) -> None:
            for case_id in share:
                answer = await client.post(f"/cases/{case_id}/attempts", json=body, headers=headers)
                assert answer.status_code == 201, answer.text

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(log(case_ids[n::WORKERS]) for n in range(WORKERS)))
        rate = len(case_ids) / (time.perf_counter() - started)
        cpu_rate = len(case_ids) / (time.process_time() - cpu)
        latencies, cpu = [], time.process_time()
        for _ in range(checks):
            began = time.perf_counter()
            answer = await client.post(f"/cases/{busy}/contact-check", json={}, headers=headers)
            latencies.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, answer.text
        check_cpu = (time.process_time() - cpu) * 1000 / checks
        assert answer.json()["allowed"] is False, "the history fills the caps"
    return rate, cpu_rate, latencies, check_cpu


def _call() -> dict[str, Any]:
    return {
        "channel": "phone",
        "party": "debtor",
        "used": "13800138000",
        "started_at": NOW.isoformat(),
        "outcome": "no_answer",
    }


def measure(attempts: int = 2_000, checks: int = 500) -> ContactFigures:
    with tempfile.TemporaryDirectory(prefix="bench-contact-") as scratch:
        folder = Path(scratch)
        private_key = generate_key_pair(folder / "keys")
        settings = ContactSettings(
            data_dir=folder, auth_key_dir=folder / "keys", log_level="WARNING"
        )
        app = create_app(settings, clock=lambda: NOW)
        runtime = app.state.runtime
        migrate(runtime.db, runtime.parts.migrations)
        case_ids, events = _cases(attempts)
        (busy,), history_events = _cases(1, debtor_id="110101199003071233")
        runtime.dispatch(events + history_events)
        _history(runtime, busy)
        token = issue_token(private_key, COLLECTOR, datetime.now(UTC), timedelta(hours=1))
        rate, cpu_rate, latencies, check_cpu = asyncio.run(
            _drive(app, case_ids, busy, checks, {"Authorization": f"Bearer {token}"})
        )
        runtime.db.dispose()
    cuts = statistics.quantiles(latencies, n=100)
    return ContactFigures(
        len(case_ids),
        rate,
        cpu_rate,
        checks,
        check_cpu,
        statistics.median(latencies),
        cuts[98],
    )


def report(figures: ContactFigures) -> str:
    return (
        f"contact: {figures.attempts_per_second:,.0f} attempts/s logged through the API with "
        f"the rules checked ({figures.attempts} attempts, {WORKERS} clients; "
        f"{figures.attempts_per_cpu_second:,.0f} per CPU-second); contact-check with "
        f"{HISTORY:,} earlier attempts: p50 {figures.check_p50_ms:.1f} ms, "
        f"p99 {figures.check_p99_ms:.1f} ms, {figures.check_cpu_ms:.1f} ms CPU each "
        f"({figures.checks} checks)"
    )


if __name__ == "__main__":
    print(report(measure()))
