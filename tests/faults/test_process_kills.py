"""Services killed with SIGKILL at the bus's worst moments (``shared/faults.py`` points),
restarted by the runner as `make run` restarts them; the end state is exact."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench.casefile import write_case_file
from deploy.run_local import LocalPlatform
from services.assignment.closing.models import CaseBalance
from services.reporting.models import LIVE
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import new_bank
from tests.platform_kit import running_platform

from .kit import (
    acknowledged,
    admin_with_collector,
    assert_acknowledged_equals_applied,
    assert_nothing_lost_or_doubled,
    post_case_file,
    scalar,
    service_databases,
)

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

CASES = 2_000
SCENARIOS = {
    # intake's relay dies after the broker acknowledged a round, before marking it
    "relay-after-publish": "intake:relay.after_publish@3",
    # assignment dies after its batch committed, before the offsets did
    "consumer-after-commit": "assignment:consumer.after_commit@2",
    # assignment dies with the batch written but not committed
    "consumer-before-commit": "assignment:consumer.before_commit@2",
    # reporting, the consumer of everything, after its commit
    "reporting-after-commit": "reporting:consumer.after_commit@3",
}


@contextlib.contextmanager
def supervised(platform: LocalPlatform) -> Iterator[None]:
    """`make run`'s supervision loop beside the test: a killed service is restarted."""
    watcher = threading.Thread(target=platform.run, name="supervisor", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        platform.request_stop()
        watcher.join(timeout=10)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_service_killed_at_a_fault_point_loses_and_doubles_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    local_postgres: LocalPostgres | None,
    scenario: str,
) -> None:
    work = tmp_path_factory.mktemp("fault_kill")
    faults = work / "faults"
    env = {"FAULT_POINT": SCENARIOS[scenario], "FAULT_DIR": str(faults)}
    path = write_case_file(work / "cases.csv", CASES)
    with running_platform(work / "var", local_postgres, extra_env=env) as platform:
        admin = admin_with_collector(platform, CASES + 10)
        with httpx.Client(timeout=30, trust_env=False) as http:
            client_id, bank = new_bank(http, platform, admin)
        with supervised(platform), service_databases(platform) as engines:
            # The killed service may be the one answering; the import resumes on its own.
            with contextlib.suppress(httpx.HTTPError):
                post_case_file(platform, client_id, bank, path)
            assert_nothing_lost_or_doubled(platform, engines, admin, client_id, CASES)
            fired = sorted(p.name for p in faults.glob("*.fired"))
    target, _, point = SCENARIOS[scenario].partition(":")
    assert fired == [f"{target}-{point.split('@')[0]}.fired"], "the fault really happened"


def test_one_file_posted_twice_at_once_then_intake_killed_mid_import_makes_one_exact_batch(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> None:
    work = tmp_path_factory.mktemp("fault_intake")
    path = write_case_file(work / "cases.csv", CASES)
    with running_platform(work / "var", local_postgres) as platform:
        admin = admin_with_collector(platform, CASES + 10)
        with httpx.Client(timeout=30, trust_env=False) as http:
            client_id, bank = new_bank(http, platform, admin)
        with (
            supervised(platform),
            service_databases(platform) as engines,
            ThreadPoolExecutor(2) as posters,
        ):
            postings = [
                posters.submit(post_case_file, platform, client_id, bank, path) for _ in range(2)
            ]
            deadline = time.monotonic() + 300
            while acknowledged(engines, client_id) < 0.4 * CASES:
                assert time.monotonic() < deadline, "the import never got under way"
                time.sleep(0.05)
            intake = platform.services["intake"].proc
            assert intake is not None
            os.killpg(intake.pid, signal.SIGKILL)
            for posting in postings:
                with contextlib.suppress(httpx.HTTPError):
                    posting.result(timeout=600)
            assert_nothing_lost_or_doubled(platform, engines, admin, client_id, CASES)
            batches = scalar(
                engines["intake"],
                "SELECT count(*) FROM import_batches WHERE client_id = :client",
                client=client_id,
            )
            state = scalar(
                engines["intake"],
                "SELECT count(*) FROM import_batches WHERE client_id = :client "
                "AND state = 'completed'",
                client=client_id,
            )
    assert (batches, state) == (1, 1), "one batch for one file, and it completed"


PAYMENT_CASES = 100
PAYMENTS = 500


def payment_amounts() -> list[Decimal]:
    """500 amounts in fen, from 0.01 to a few thousand yuan, the same every run."""
    rng = random.Random(11)
    return [Decimal(rng.randrange(1, 500_000)) / 100 for _ in range(PAYMENTS)]


def post_payment(
    platform: LocalPlatform, client_id: str, bank: dict[str, str], n: int, amount: Decimal
) -> int:
    """One payment, retried while the answering service is away (the same transaction
    reference makes a retry harmless)."""
    body = {
        "account_ref": f"6222{n % PAYMENT_CASES:012d}",
        "transaction_ref": f"TXN-{n:05d}",
        "amount": str(amount),
        "paid_at": "2026-12-01T10:00:00+08:00",
    }
    url = f"{platform.url('intake')}/clients/{client_id}/payments"
    deadline = time.monotonic() + 120
    with httpx.Client(timeout=30, trust_env=False) as http:
        while True:
            try:
                answer = http.post(url, headers=bank, json=body)
                if answer.status_code in (200, 201):
                    return answer.status_code
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"payment {n} never recorded"
            time.sleep(0.5)


def sum_of(engine: Engine, column: Any, where: Any) -> Decimal:
    with engine.connect() as conn:
        return sum(
            (Decimal(str(v)) for v in conn.execute(select(column).where(where)).scalars()),
            Decimal("0"),
        )


def test_payments_posted_while_contact_and_assignment_are_killed_add_up_to_the_fen(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> None:
    work = tmp_path_factory.mktemp("fault_payments")
    path = write_case_file(work / "cases.csv", PAYMENT_CASES)
    amounts = payment_amounts()
    with running_platform(work / "var", local_postgres) as platform:
        admin = admin_with_collector(platform, PAYMENT_CASES + 10)
        with httpx.Client(timeout=30, trust_env=False) as http:
            client_id, bank = new_bank(http, platform, admin)
        with supervised(platform), service_databases(platform) as engines:
            post_case_file(platform, client_id, bank, path)
            assert_nothing_lost_or_doubled(platform, engines, admin, client_id, PAYMENT_CASES)
            with ThreadPoolExecutor(20) as posters:
                postings = []
                for n, amount in enumerate(amounts):
                    postings.append(
                        posters.submit(post_payment, platform, client_id, bank, n, amount)
                    )
                    if n in (150, 300):
                        victim = platform.services["contact" if n == 150 else "assignment"].proc
                        assert victim is not None
                        os.killpg(victim.pid, signal.SIGKILL)
                for posting in postings:
                    posting.result(timeout=300)
            posted = sum(amounts, Decimal("0"))
            balances = CaseBalance.__table__
            recovered = LIVE.payments

            def totals() -> tuple[Decimal, Decimal]:
                return (
                    sum_of(
                        engines["reporting"], recovered.c.amount, recovered.c.client_id == client_id
                    ),
                    sum_of(
                        engines["assignment"], balances.c.paid, balances.c.client_id == client_id
                    ),
                )

            deadline = time.monotonic() + 180
            while totals() != (posted, posted) and time.monotonic() < deadline:
                time.sleep(1)
            reported, paid = totals()
            assert (reported, paid) == (posted, posted), (
                "recovered and balances equal what was posted"
            )
            assert_acknowledged_equals_applied(engines)
