"""What every fault scenario needs: the platform's databases read from outside, a case
file posted while things break, and the end check that nothing was lost or doubled."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from deploy.run_local import SERVICES, LocalPlatform
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
