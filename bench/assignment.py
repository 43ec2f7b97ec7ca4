"""Assignment alone: placing imported cases through the rules, and the work queue under load.

Placing: ``ASSIGNMENT_BENCH_CASES`` (default 100,000; 1,000,000 for the issue's full run)
``CaseImported`` events for 10 clients go through the service's own batch path (the
:class:`BatchApplier` its consumer uses, batches of ``consumer_batch_size``) on SQLite, with
200 phone collectors in 10 teams and one rule per client; the clock runs from the first
batch handed to the handler to the last ``CaseAssigned`` written (event generation is not
timed). Work queue: a running assignment process (uvicorn, SQLite) holds 40,000 cases, 2,000
of them one collector's; a second process (this one) asks for that collector's queue at a
fixed 200 requests/s for 30 s — first pages and deeper keyset pages — and latency is counted
from each request's scheduled time, so a server falling behind shows in p99.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from shared.auth.keys import generate_key_pair
from shared.auth.principal import Principal, Role
from shared.auth.tokens import issue_token
from shared.bus.apply import BatchApplier, Delivery
from shared.db import migrate
from shared.devtools.broker import free_port, stop_process_groups
from shared.events import encode, new_event, topic_for
from shared.events.catalog import CaseImported, Debt, Person

TEAMS, PER_TEAM = 10, 20
QUEUE_CASES, QUEUE_COLLECTORS = 2_000, 20
RATE, SECONDS = 200, 30


def _runtime(folder: Path, database_url: str | None = None) -> Any:
    from services.assignment.main import create_app
    from services.assignment.settings import AssignmentSettings

    settings = AssignmentSettings(
        data_dir=folder,
        log_level="WARNING",
        kafka_bootstrap_servers="127.0.0.1:1",
        **({"database_url": database_url} if database_url else {}),
    )
    runtime = create_app(settings).state.runtime
    migrate(runtime.db, runtime.parts.migrations)
    return runtime


def _staff_and_rules(runtime: Any) -> list[str]:
    """10 teams of 20 phone collectors, one rule per client; rows written directly (no
    password hashing for 200 people)."""
    from services.assignment.models import AssignmentRule, Staff, Team

    ids: list[str] = []
    with runtime.work() as uow:
        for t in range(TEAMS):
            team = f"TEAM-{t}"
            uow.session.add(Team(id=team, name=team, created_at=uow.now))
            uow.session.add(
                AssignmentRule(
                    id=f"rule-{t}", position=t, name=f"client {t}", team_id=team,
                    client_id=f"BANK-{t}", updated_at=uow.now,
                )
            )  # fmt: skip
            for n in range(PER_TEAM):
                member = Staff(
                    id=str(uuid.uuid4()), username=f"c{t}-{n}", name=f"催收员{t}-{n}",
                    role=Role.PHONE_COLLECTOR.value, team_id=team, branch_id="SH",
                    password_hash="-", created_at=uow.now, capacity=10_000_000,
                )  # fmt: skip
                uow.session.add(member)
                ids.append(member.id)
    return ids


def _imports(cases: int, chunk: int) -> Iterator[list[Delivery]]:
    now = datetime.now(UTC)
    for start in range(0, cases, chunk):
        out = []
        for n in range(start, min(cases, start + chunk)):
            payload = CaseImported(
                client_id=f"BANK-{n % TEAMS}",
                batch_id="b",
                account_ref=f"6222{n:012d}",
                product_type="credit_card",
                debtor=Person(name="张三"),
                debt=Debt(total_owed=Decimal("1234.56")),
                days_past_due=n % 60,
                bucket="M1",
                received_at=now,
            )
            event = new_event(payload, occurred_at=now, case_id=str(uuid.uuid4()))
            out.append(Delivery(encode(event), topic_for(event.producer), key=b"k"))
        yield out


def measure_placing(cases: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-assignment-") as scratch:
        runtime = _runtime(Path(scratch))
        _staff_and_rules(runtime)
        applier = BatchApplier(
            runtime.db, runtime.parts.tables, runtime.handlers, context=runtime.context
        )
        batch = runtime.settings.consumer_batch_size
        seconds, emitted = 0.0, 0
        for deliveries in _imports(cases, 20_000):
            started = time.perf_counter()
            for i in range(0, len(deliveries), batch):
                emitted += applier.apply(deliveries[i : i + batch]).emitted
            seconds += time.perf_counter() - started
        runtime.db.dispose()
    if emitted != cases:
        raise RuntimeError(f"{cases} cases imported but {emitted} assigned")
    return {
        "cases": cases,
        "seconds": round(seconds, 1),
        "cases_per_second": round(cases / seconds),
    }


def _seed_queue(runtime: Any) -> str:
    """20 collectors with 2,000 open cases each; returns the one whose queue is read."""
    from services.assignment.models import AssignedCase

    ids = _staff_and_rules(runtime)[:QUEUE_COLLECTORS]
    now = datetime.now(UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "client_id": "BANK-0",
            "collector_id": collector,
            "team_id": "TEAM-0",
            "imported_at": now,
            "assigned_at": now,
            "due_estimated": False,
            "next_action": "phone",
            "next_channel": "phone",
            "next_action_due": now + timedelta(minutes=(n * 37) % 20_000),
        }
        for collector in ids
        for n in range(QUEUE_CASES)
    ]
    with runtime.work() as uow:
        for i in range(0, len(rows), 5_000):
            uow.session.execute(insert(AssignedCase.__table__), rows[i : i + 5_000])
    return ids[0]


def _serve(work: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ASSIGNMENT_DATABASE_URL": f"sqlite:///{work / 'assignment.db'}",
        "ASSIGNMENT_DATA_DIR": str(work / "data"),
        "ASSIGNMENT_AUTH_KEY_DIR": str(work / "keys"),
        "ASSIGNMENT_AUTH_SIGNING_KEY_FILE": str(work / "keys" / "signing-key.pem"),
        "ASSIGNMENT_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
        "ASSIGNMENT_LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "services.assignment.main:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
    ]  # fmt: skip
    log = (work / "assignment.log").open("wb")
    return subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _cursors(http: httpx.Client, url: str, headers: dict[str, str]) -> list[str | None]:
    """The first page and every fifth deeper page, for a mix of keyset reads."""
    cursors: list[str | None] = [None]
    cursor = None
    for page in range(QUEUE_CASES // 50):
        answer = http.get(
            url, params={"limit": 50, **({"after": cursor} if cursor else {})}, headers=headers
        )
        answer.raise_for_status()
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
        if page % 5 == 0:
            cursors.append(cursor)
    return cursors


def measure_work_queue() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as scratch:
        work = Path(scratch)
        key = generate_key_pair(work / "keys")
        runtime = _runtime(work / "data", f"sqlite:///{work / 'assignment.db'}")
        collector = _seed_queue(runtime)
        runtime.db.dispose()
        me = Principal(subject=collector, kind="staff", role=Role.PHONE_COLLECTOR, team_id="TEAM-0")
        headers = {
            "Authorization": f"Bearer {issue_token(key, me, datetime.now(UTC), timedelta(hours=1))}"
        }
        port = free_port()
        proc = _serve(work, port)
        url = f"http://127.0.0.1:{port}/work-queue"
        try:
            with httpx.Client(
                timeout=10, trust_env=False, limits=httpx.Limits(max_connections=64)
            ) as http:
                _wait(http, url, headers)
                cursors = _cursors(http, url, headers)
                alone = _alone(http, url, headers)
                latencies, errors = _load(http, url, headers, cursors)
        finally:
            stop_process_groups([proc])
    ms = sorted(latencies)
    return {
        "requests": len(ms),
        "errors": errors,
        "rate": RATE,
        "seconds": SECONDS,
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 1),
        "one_at_a_time_p50_ms": round(alone, 1),
    }


def _alone(http: httpx.Client, url: str, headers: dict[str, str]) -> float:
    """The median of 100 first-page requests one after another: the service time."""
    took = []
    for _ in range(100):
        started = time.perf_counter()
        http.get(url, params={"limit": 50}, headers=headers).raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


def _wait(http: httpx.Client, url: str, headers: dict[str, str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http.get(url, headers=headers).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("assignment did not start")


def _load(
    http: httpx.Client, url: str, headers: dict[str, str], cursors: list[str | None]
) -> tuple[list[float], int]:
    """Open loop: request n is due at start + n/RATE, whatever earlier ones are doing."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(n: int, due: float) -> None:
        nonlocal errors
        cursor = cursors[n % len(cursors)]
        params = {"limit": 50, **({"after": cursor} if cursor else {})}
        try:
            ok = http.get(url, params=params, headers=headers).status_code == 200
        except httpx.HTTPError:
            ok = False
        took = (time.perf_counter() - due) * 1000
        with lock:
            latencies.append(took)
            errors += 0 if ok else 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=48) as pool:
        for n in range(RATE * SECONDS):
            due = start + n / RATE
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, n, due)
    return latencies, errors


def report_placing(f: dict[str, float]) -> str:
    return (
        f"assignment placing  cases={f['cases']:>9,.0f}  {f['cases_per_second']:>7,.0f} cases/s "
        f"({f['seconds']} s; 200 collectors in 10 teams, SQLite)"
    )


def report_queue(f: dict[str, float]) -> str:
    return (
        f"assignment work queue  {f['rate']:.0f} req/s for {f['seconds']:.0f} s  "
        f"p50={f['p50_ms']} ms  p99={f['p99_ms']} ms  errors={f['errors']}  "
        f"(one request at a time: p50={f['one_at_a_time_p50_ms']} ms)"
    )


def main() -> dict[str, Any]:
    cases = int(os.environ.get("ASSIGNMENT_BENCH_CASES") or 100_000)
    placing = measure_placing(cases)
    print(report_placing(placing), flush=True)
    queue = measure_work_queue()
    print(report_queue(queue), flush=True)
    return {"placing": placing, "work_queue": queue}
