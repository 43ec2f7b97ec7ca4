"""Delivery faults with the services as separate processes on the local broker: every
event delivered twice, a case's events read out of order across a consumer restart, a
consumer's database locked past its busy timeout, and one of two consumers of a group
killed mid-stream. Each ends with every figure exact in every service and the end check:
the events the outboxes acknowledged are the events the inboxes applied."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from bench.casefile import write_case_file
from deploy.run_local import HOST, REPO_ROOT, SERVICES, LocalPlatform
from services.letters.waiting import WAITING
from shared.bus.kafka import EVENT_ID_HEADER, make_producer
from shared.devtools.broker import free_port, stop_process_groups
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import new_bank
from tests.integration.test_database_locked import locked_by_another_writer
from tests.platform_kit import running_platform

from .kit import (
    admin_with_collector,
    all_up,
    applied_ids,
    assert_acknowledged_equals_applied,
    assert_nothing_lost_or_doubled,
    bring_back,
    handled,
    imported_ids,
    kill,
    post_case_file,
    service_databases,
    signed_in_admin,
    subscriptions,
)
from .ledger import Ledger

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

BUSY_TIMEOUT_MS = 1000


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    env = {f"{s.upper()}_DATABASE_BUSY_TIMEOUT_MS": str(BUSY_TIMEOUT_MS) for s in SERVICES}
    env["LETTERS_CONSUMER_BATCH_SIZE"] = "50"  # letters reads a backlog in many small bites
    folder = tmp_path_factory.mktemp("delivery")
    with running_platform(folder, local_postgres, extra_env=env) as running:
        admin_with_collector(running, 10_000)
        yield running


@pytest.fixture(scope="module")
def engines(platform: LocalPlatform) -> Iterator[dict[str, Engine]]:
    with service_databases(platform) as made:
        yield made


def imported_client(
    platform: LocalPlatform, engines: dict[str, Engine], folder: Path, cases: int
) -> Ledger:
    """A new bank with ``cases`` cases imported and settled everywhere."""
    admin = signed_in_admin(platform)
    with httpx.Client(timeout=30, trust_env=False) as http:
        client_id, bank = new_bank(http, platform, admin)
    posted = post_case_file(platform, client_id, bank, write_case_file(folder / "c.csv", cases))
    assert posted in (200, 201, 202)
    assert_nothing_lost_or_doubled(platform, engines, admin, client_id, cases)
    return Ledger(client_id, bank, cases)


def case_of_account(engines: dict[str, Engine], client_id: str, n: int) -> str:
    with engines["intake"].connect() as conn:
        return conn.execute(
            text("SELECT id FROM cases WHERE client_id = :c AND account_ref = :a"),
            {"c": client_id, "a": f"6222{n:012d}"},
        ).scalar_one()


def amount(n: int) -> Decimal:
    return Decimal(1 + (n * 7919) % 250_000) / 100


def every_acknowledged_row(engines: dict[str, Engine]) -> list[tuple[str, str, str, str, str]]:
    """(producer, topic, key, body, event id) of every event the broker acknowledged."""
    rows = []
    for name, engine in engines.items():
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT event_type, topic, message_key, body, event_id FROM outbox "
                    "WHERE published_at IS NOT NULL ORDER BY id"
                )
            )
            rows += [(name, *row) for row in found]
    return rows


async def publish_again(bootstrap: str, rows: list[tuple[str, str, str, str, str]]) -> None:
    """The same envelopes to the same topics, keys and headers: a second delivery."""
    producer = make_producer(bootstrap, client_id="fault-repeat", request_timeout_ms=10_000)
    await producer.start()
    try:
        sent = [
            await producer.send(
                topic,
                value=body.encode(),
                key=key.encode() if key else None,
                headers=[(EVENT_ID_HEADER, event_id.encode())],
            )
            for _, _, topic, key, body, event_id in rows
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


def test_every_event_delivered_twice_changes_nothing(
    platform: LocalPlatform, engines: dict[str, Engine], tmp_path: Path
) -> None:
    ledger = imported_client(platform, engines, tmp_path, 100)
    ledger.pay_all(platform, {n: amount(n) for n in range(200)})
    for n in range(0, 100, 10):
        ledger.promise(platform, case_of_account(engines, ledger.client_id, n), amount(n) + 1)
    ledger.assert_exact(engines)
    assert_acknowledged_equals_applied(engines)

    rows = every_acknowledged_row(engines)
    consumers = {name: types for name, types in subscriptions().items() if types}
    repeats = {
        name: sum(1 for producer, kind, *_ in rows if kind in types and producer != name)
        for name, types in consumers.items()
    }
    before = {name: handled(platform, name, "duplicate") for name in consumers}
    asyncio.run(publish_again(platform.bootstrap_servers, rows))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        seen = {name: handled(platform, name, "duplicate") - before[name] for name in consumers}
        if all(seen[name] >= repeats[name] for name in consumers):
            break
        time.sleep(1)
    assert all(seen[name] >= repeats[name] for name in consumers), (seen, repeats)
    assert min(repeats.values()) > 0, "every consumer was sent repeats"

    ledger.assert_exact(engines, timeout=0)
    assert_acknowledged_equals_applied(engines, timeout=0)


def test_a_promise_read_before_its_case_across_a_letters_restart_is_applied_once(
    platform: LocalPlatform, engines: dict[str, Engine], tmp_path: Path
) -> None:
    """Letters is away while a 300-case file is imported, paid and promised on; it comes
    back reading a backlog on two topics in small batches and is killed after its second
    commit, so contact's promises (on the file's last cases) come before their cases."""
    kill(platform, "letters")
    admin = signed_in_admin(platform)
    with httpx.Client(timeout=30, trust_env=False) as http:
        client_id, bank = new_bank(http, platform, admin)
    ledger = Ledger(client_id, bank, 300)
    posted = post_case_file(platform, client_id, bank, write_case_file(tmp_path / "c.csv", 300))
    assert posted in (200, 201, 202)
    deadline = time.monotonic() + 180
    while len(imported_ids(engines, client_id)) < 300 or any(
        applied_ids(engines[name], imported_ids(engines, client_id))
        != imported_ids(engines, client_id)
        for name in ("assignment", "contact", "reporting")
    ):
        assert time.monotonic() < deadline, "the import never reached the others"
        time.sleep(1)
    ledger.pay_all(platform, {n: amount(n) for n in range(300)})
    for n in range(290, 300):
        ledger.promise(platform, case_of_account(engines, client_id, n), Decimal("88.88"))

    log = platform.log_dir / "letters.log"
    waits_before = log.read_text().count("event_waits_for_case")
    platform.extra_env.update(
        {"FAULT_POINT": "letters:consumer.after_commit@2", "FAULT_DIR": str(tmp_path)}
    )
    try:
        bring_back(
            platform,
            lambda: (
                (tmp_path / "letters-consumer.after_commit.fired").exists()
                and ledger.found(engines) == ledger.expected()
            ),
            timeout=120,
        )
    finally:
        for name in ("FAULT_POINT", "FAULT_DIR"):
            platform.extra_env.pop(name)
    ledger.assert_exact(engines, timeout=0)
    assert_acknowledged_equals_applied(engines)
    with engines["letters"].connect() as conn:
        assert conn.execute(select(func.count()).select_from(WAITING)).scalar_one() == 0
    if log.read_text().count("event_waits_for_case") <= waits_before:
        pytest.skip("the broker handed letters every case before its promises this time")
    bring_back(platform, lambda: all_up(platform))


def test_assignment_locked_past_its_busy_timeout_applies_the_payments_once_after(
    platform: LocalPlatform, engines: dict[str, Engine], tmp_path: Path
) -> None:
    ledger = imported_client(platform, engines, tmp_path, 50)
    url = str(engines["assignment"].url.render_as_string(hide_password=False))
    with locked_by_another_writer(url, "inbox"):
        ledger.pay_all(platform, {n: amount(n) for n in range(100)})
        deadline = time.monotonic() + 60
        flowing = "reporting payments"
        while ledger.found(engines)[flowing] != ledger.expected()[flowing]:
            assert time.monotonic() < deadline, "the payments never reached reporting"
            time.sleep(0.5)
        time.sleep(3 * BUSY_TIMEOUT_MS / 1000)
        paid = ledger.found(engines)["assignment balances paid"]
        assert paid == (50, Decimal("0")), "assignment committed nothing while locked"
    ledger.assert_exact(engines)
    assert_acknowledged_equals_applied(engines)
    assert "batch_retry" in (platform.log_dir / "assignment.log").read_text(), "it backed off"


@contextlib.contextmanager
def second_process(platform: LocalPlatform, name: str) -> Iterator[int]:
    """Another process of ``name`` on its own port, same database and consumer group."""
    port = free_port()
    env = platform._service_env(platform.services[name])
    env[f"{name.upper()}_PORT"] = str(port)
    with (platform.log_dir / f"{name}-2.log").open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", f"services.{name}.main:create_app",
             "--host", HOST, "--port", str(port)],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            with httpx.Client(timeout=2, trust_env=False) as http:
                while True:
                    with contextlib.suppress(httpx.HTTPError):
                        if http.get(f"http://{HOST}:{port}/ready").status_code == 200:
                            break
                    assert time.monotonic() < deadline, "the second process never got ready"
                    time.sleep(0.5)
            yield port
        finally:
            stop_process_groups([proc], grace=10)


def test_one_of_two_reporting_processes_killed_mid_stream_loses_and_doubles_nothing(
    platform: LocalPlatform, engines: dict[str, Engine], tmp_path: Path
) -> None:
    cases = 1_000
    admin = signed_in_admin(platform)
    with httpx.Client(timeout=30, trust_env=False) as http:
        client_id, bank = new_bank(http, platform, admin)
    ledger = Ledger(client_id, bank, cases)
    path = write_case_file(tmp_path / "c.csv", cases)

    def in_reporting() -> int:
        return len(applied_ids(engines["reporting"], imported_ids(engines, client_id)))

    with second_process(platform, "reporting") as port, ThreadPoolExecutor(1) as poster:
        posting = poster.submit(post_case_file, platform, client_id, bank, path)
        deadline = time.monotonic() + 300
        while in_reporting() < 0.3 * cases:
            assert time.monotonic() < deadline, "the import never got under way"
            time.sleep(0.05)
        kill(platform, "reporting")
        survivor = handled(platform, "reporting", "handled", port)
        while in_reporting() < 0.8 * cases:
            assert time.monotonic() < deadline, "the survivor did not take the partitions"
            time.sleep(0.2)
        # A batch's count goes up just after its commit: wait for it, do not race it.
        while handled(platform, "reporting", "handled", port) <= survivor:
            assert time.monotonic() < deadline, "the survivor handled nothing after the kill"
            time.sleep(0.2)
        posting.result(timeout=300)
        bring_back(platform, lambda: all_up(platform))
        ledger.pay_all(platform, {n: amount(n) for n in range(100)})
        ledger.assert_exact(engines)
        assert handled(platform, "reporting", "handled") > 0, "the restarted one rejoined"
        assert handled(platform, "reporting", "handled", port) > survivor
    assert_nothing_lost_or_doubled(platform, engines, admin, client_id, cases)
