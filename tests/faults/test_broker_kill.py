"""The broker killed during a large import, as `make run` would meet it: the local broker
forgets everything, the runner restarts it and the services, and the import finishes.

Every scenario ends with the same check: each CaseImported event intake acknowledged is
in every consumer's inbox (applied once: the inbox key is the event id), assignment
placed each case once, and reporting counts each case once. The kill points are taken
from intake's outbox: the share of this file's events the broker has acknowledged.
``FAULT_REPEAT`` runs each scenario that many times (default once).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from bench.casefile import write_case_file
from deploy.run_local import LocalPlatform
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import new_bank
from tests.platform_kit import running_platform

from .kit import (
    acknowledged,
    admin_with_collector,
    assert_nothing_lost_or_doubled,
    post_case_file,
    service_databases,
    signed_in_admin,
)

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

CASES = 4_000
REPEAT = int(os.environ.get("FAULT_REPEAT", "1"))
SCENARIOS = {
    "early": (0.1,),
    "middle": (0.5,),
    "late": (0.9,),
    "twice": (0.2, 0.6),
}


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    with running_platform(tmp_path_factory.mktemp("broker_kill"), local_postgres) as running:
        yield running


@pytest.fixture(scope="module")
def engines(platform: LocalPlatform) -> Iterator[dict[str, Engine]]:
    with service_databases(platform) as made:
        yield made


@pytest.fixture(scope="module")
def collector(platform: LocalPlatform) -> None:
    admin_with_collector(platform, CASES * len(SCENARIOS) * REPEAT + 10)


@pytest.fixture
def admin(platform: LocalPlatform, collector: None) -> dict[str, str]:
    """Signed in afresh for each scenario: a repeated run outlives one token."""
    return signed_in_admin(platform)


def kill_broker(platform: LocalPlatform) -> None:
    assert platform.broker.pid is not None
    os.kill(platform.broker.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while platform.broker.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    platform.supervise_once()  # what `make run` does every half second
    assert platform.broker.is_running()
    assert not platform.wait_ready(timeout=120), "the platform came back"


@pytest.mark.parametrize("round_", range(REPEAT))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_broker_killed_during_an_import_loses_and_doubles_nothing(
    platform: LocalPlatform,
    engines: dict[str, Engine],
    admin: dict[str, str],
    tmp_path: Path,
    scenario: str,
    round_: int,
) -> None:
    path = write_case_file(tmp_path / "cases.csv", CASES)
    with httpx.Client(timeout=30, trust_env=False) as http:
        client_id, bank = new_bank(http, platform, admin)
    kills = list(SCENARIOS[scenario])
    with ThreadPoolExecutor(1) as poster:
        posting: Future[int] = poster.submit(post_case_file, platform, client_id, bank, path)
        deadline = time.monotonic() + 300
        while kills and time.monotonic() < deadline:
            if acknowledged(engines, client_id) >= kills[0] * CASES:
                kill_broker(platform)
                kills.pop(0)
            time.sleep(0.05)
        assert not kills, f"the import never reached the kill points {kills}"
        # The service may restart under the request; the import then resumes on its own.
        with contextlib.suppress(httpx.HTTPError):
            posting.result(timeout=600)

    assert_nothing_lost_or_doubled(platform, engines, admin, client_id, CASES)
