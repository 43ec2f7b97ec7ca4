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
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bench.casefile import write_case_file
from deploy.run_local import SERVICES, LocalPlatform
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, counts, new_bank, sign_in
from tests.platform_kit import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

CASES = 4_000
CONSUMERS = ("assignment", "contact", "letters", "reporting")
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
    """Each service's own database, read from outside to check the end state."""
    made = {}
    for name in SERVICES:
        url = platform.extra_env.get(f"{name.upper()}_DATABASE_URL") or (
            f"sqlite:///{platform.data_dir / name}.db"
        )
        made[name] = create_engine(url)
    yield made
    for engine in made.values():
        engine.dispose()


@pytest.fixture(scope="module")
def admin(platform: LocalPlatform) -> dict[str, str]:
    with httpx.Client(timeout=10, trust_env=False) as http:
        headers = sign_in(http, platform, "admin", ADMIN_PASSWORD)
        made = http.post(
            f"{platform.url('assignment')}/staff",
            headers=headers,
            json={
                "username": "fault.collector",
                "name": "故障测试",
                "role": "phone_collector",
                "password": "a-long-password",
                "capacity": CASES * len(SCENARIOS) * REPEAT + 10,
            },
        )
        assert made.status_code == 201, made.text
    return headers


def scalar(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def acknowledged(engines: dict[str, Engine], client_id: str) -> int:
    return scalar(
        engines["intake"],
        "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.message_key "
        "WHERE o.event_type = 'CaseImported' AND o.published_at IS NOT NULL "
        "AND c.client_id = :client",
        client=client_id,
    )


def imported_ids(engines: dict[str, Engine], client_id: str) -> set[str]:
    with engines["intake"].connect() as conn:
        rows = conn.execute(
            text(
                "SELECT o.event_id FROM outbox o JOIN cases c ON c.id = o.message_key "
                "WHERE o.event_type = 'CaseImported' AND c.client_id = :client"
            ),
            {"client": client_id},
        )
        return {r[0] for r in rows}


def applied_ids(engine: Engine, wanted: set[str]) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT event_id FROM inbox WHERE event_type = 'CaseImported'"))
        return {r[0] for r in rows} & wanted


def kill_broker(platform: LocalPlatform) -> None:
    assert platform.broker.pid is not None
    os.kill(platform.broker.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while platform.broker.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    platform.supervise_once()  # what `make run` does every half second
    assert platform.broker.is_running()
    assert not platform.wait_ready(timeout=120), "the platform came back"


def post(platform: LocalPlatform, client_id: str, bank: dict[str, str], path: Path) -> int:
    with httpx.Client(timeout=600, trust_env=False) as http, path.open("rb") as upload:
        return http.post(
            f"{platform.url('intake')}/clients/{client_id}/case-files",
            headers=bank,
            files={"file": (path.name, upload, "text/csv")},
        ).status_code


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
        posting: Future[int] = poster.submit(post, platform, client_id, bank, path)
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

    def settled() -> bool:
        wanted = imported_ids(engines, client_id)
        return len(wanted) == CASES and all(
            applied_ids(engines[name], wanted) == wanted for name in CONSUMERS
        )

    deadline = time.monotonic() + 300
    while not settled() and time.monotonic() < deadline:
        time.sleep(1)
    wanted = imported_ids(engines, client_id)
    assert len(wanted) == CASES, "intake imported every row once"
    missing = {name: len(wanted - applied_ids(engines[name], wanted)) for name in CONSUMERS}
    assert missing == dict.fromkeys(CONSUMERS, 0), "every acknowledged event applied downstream"
    placed = scalar(
        engines["assignment"],
        "SELECT count(*) FROM outbox o WHERE o.event_type = 'CaseAssigned' AND o.body LIKE :client",
        client=f'%"client_id":"{client_id}"%',
    )
    assert placed == CASES, "each case placed exactly once"
    with httpx.Client(timeout=30, trust_env=False) as http:
        deadline = time.monotonic() + 120
        seen = counts(http, platform, client_id, admin)
        while seen.get("cases_assigned") != CASES and time.monotonic() < deadline:
            time.sleep(1)
            seen = counts(http, platform, client_id, admin)
    assert seen == {"client_id": client_id, "cases_imported": CASES, "cases_assigned": CASES}
