"""What every fault scenario needs: the platform's databases read from outside, a case
file posted while things break, and the end check that nothing was lost or doubled."""

from __future__ import annotations

import functools
import importlib
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from deploy.run_local import SERVICES, LocalPlatform
from shared.bus.handlers import by_type_name
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, counts, sign_in

CONSUMERS = ("assignment", "contact", "letters", "reporting")


@contextmanager
def service_databases(platform: LocalPlatform) -> Iterator[dict[str, Engine]]:
    """Each service's own database, to check the end state from outside."""
    made = {}
    for name in SERVICES:
        url = platform.extra_env.get(f"{name.upper()}_DATABASE_URL") or (
            f"sqlite:///{platform.data_dir / name}.db"
        )
        made[name] = create_engine(url)
    try:
        yield made
    finally:
        for engine in made.values():
            engine.dispose()


def signed_in_admin(platform: LocalPlatform) -> dict[str, str]:
    with httpx.Client(timeout=10, trust_env=False) as http:
        return sign_in(http, platform, "admin", ADMIN_PASSWORD)


def admin_with_collector(platform: LocalPlatform, capacity: int) -> dict[str, str]:
    """Sign in as the admin and add one phone collector with room for every case."""
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
                "capacity": capacity,
            },
        )
        assert made.status_code == 201, made.text
    return headers


def scalar(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def acknowledged(engines: dict[str, Engine], client_id: str) -> int:
    """How many of the client's CaseImported events the broker has acknowledged."""
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


def post_case_file(
    platform: LocalPlatform, client_id: str, bank: dict[str, str], path: Path
) -> int:
    with httpx.Client(timeout=600, trust_env=False) as http, path.open("rb") as upload:
        return http.post(
            f"{platform.url('intake')}/clients/{client_id}/case-files",
            headers=bank,
            files={"file": (path.name, upload, "text/csv")},
        ).status_code


def assert_nothing_lost_or_doubled(
    platform: LocalPlatform,
    engines: dict[str, Engine],
    admin: dict[str, str],
    client_id: str,
    cases: int,
    timeout: float = 300,
) -> None:
    """Every CaseImported intake wrote is in every consumer's inbox (once: the inbox is
    keyed by event id), assignment placed each case once, reporting counts each once."""

    def settled() -> bool:
        wanted = imported_ids(engines, client_id)
        return len(wanted) == cases and all(
            applied_ids(engines[name], wanted) == wanted for name in CONSUMERS
        )

    deadline = time.monotonic() + timeout
    while not settled() and time.monotonic() < deadline:
        time.sleep(1)
    wanted = imported_ids(engines, client_id)
    assert len(wanted) == cases, "intake imported every row once"
    missing = {name: len(wanted - applied_ids(engines[name], wanted)) for name in CONSUMERS}
    assert missing == dict.fromkeys(CONSUMERS, 0), "every acknowledged event applied downstream"
    placed = scalar(
        engines["assignment"],
        "SELECT count(*) FROM outbox o WHERE o.event_type = 'CaseAssigned' AND o.body LIKE :client",
        client=f'%"client_id":"{client_id}"%',
    )
    assert placed == cases, "each case placed exactly once"
    with httpx.Client(timeout=30, trust_env=False) as http:
        admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)  # a long run outlives a token
        deadline = time.monotonic() + 120
        seen = counts(http, platform, client_id, admin)
        while seen.get("cases_assigned") != cases and time.monotonic() < deadline:
            time.sleep(1)
            seen = counts(http, platform, client_id, admin)
    assert seen == {"client_id": client_id, "cases_imported": cases, "cases_assigned": cases}
    assert_acknowledged_equals_applied(engines)


@functools.cache
def subscriptions() -> dict[str, frozenset[str]]:
    """The event types each service consumes: its runtime's handler table, as it wires it
    (a service never consumes its own topic)."""
    made = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in SERVICES:
            main = importlib.import_module(f"services.{name}.main")
            settings_module = importlib.import_module(f"services.{name}.settings")
            settings = getattr(settings_module, f"{name.capitalize()}Settings")(
                environment="test",
                database_url=f"sqlite:///{folder}/{name}.db",
                data_dir=Path(folder) / name,
                kafka_bootstrap_servers="127.0.0.1:1",
            )
            runtime = main.create_app(settings).state.runtime
            made[name] = frozenset(by_type_name(runtime.handlers))
            runtime.db.dispose()
    return made


def acknowledged_and_applied(engines: dict[str, Engine]) -> dict[str, tuple[set[str], set[str]]]:
    """Per consuming service: the ids of the events of the types it consumes that another
    service's outbox holds as acknowledged by the broker, and the ids in its inbox."""
    published: list[tuple[str, str, str]] = []
    for name, engine in engines.items():
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT event_id, event_type FROM outbox WHERE published_at IS NOT NULL")
            )
            published += [(name, event_id, event_type) for event_id, event_type in rows]
    found = {}
    for name, types in subscriptions().items():
        wanted = {i for producer, i, t in published if t in types and producer != name}
        with engines[name].connect() as conn:
            applied = set(conn.execute(text("SELECT event_id FROM inbox")).scalars())
        found[name] = (wanted, applied)
    return found


def assert_acknowledged_equals_applied(engines: dict[str, Engine], timeout: float = 120) -> None:
    """The end check of every fault scenario: per consumer, the set of event ids the
    outboxes acknowledged equals the set it applied (its inbox), both ways."""

    def gaps() -> dict[str, tuple[int, int]]:
        return {
            name: (len(wanted - applied), len(applied - wanted))
            for name, (wanted, applied) in acknowledged_and_applied(engines).items()
        }

    deadline = time.monotonic() + timeout
    found = gaps()
    while set(found.values()) - {(0, 0)} and time.monotonic() < deadline:
        time.sleep(1)
        found = gaps()
    assert found == dict.fromkeys(found, (0, 0)), (
        "per consumer: (acknowledged, not applied), (applied, not acknowledged)"
    )


def bring_back(platform: LocalPlatform, until: Callable[[], bool], timeout: float = 300) -> None:
    """`make run`'s supervision, turned by hand: restart whatever died until ``until``."""
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, "the platform never got there"
        platform.supervise_once()
        time.sleep(0.5)


def kill(platform: LocalPlatform, name: str) -> None:
    """SIGKILL the service's process group, and wait until it is gone."""
    proc = platform.services[name].proc
    assert proc is not None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def handled(platform: LocalPlatform, name: str, outcome: str, port: int | None = None) -> float:
    """The service's ``events_handled_total`` of one outcome, summed over event types
    (counted since its process started)."""
    url = f"http://127.0.0.1:{port}" if port else platform.url(name)
    with httpx.Client(timeout=10, trust_env=False) as http:
        lines = http.get(f"{url}/metrics").text.splitlines()
    pattern = re.compile(r"^events_handled_total\{(?P<labels>[^}]*)\} (?P<value>\S+)$")
    total = 0.0
    for line in lines:
        found = pattern.match(line)
        if found and f'outcome="{outcome}"' in found["labels"]:
            total += float(found["value"])
    return total


def all_up(platform: LocalPlatform) -> bool:
    """Every service's process is alive and answers ready (``wait_ready`` alone trusts a
    service that answered once)."""
    alive = all(s.proc is not None and s.proc.poll() is None for s in platform.services.values())
    return alive and not platform.wait_ready(timeout=5)
