"""After a restore the platform runs: a running platform filled through its APIs (cases,
payments, promises, a letter, a recording) is backed up while it serves (`make backup`),
destroyed, restored on HQ's approval (`make restore`) and started again on a fresh broker.
Its consumers resume and apply nothing twice, its relays re-publish what the new broker
lacks, every object and amount is found, and new work flows through exactly."""

from __future__ import annotations

import hashlib
import shutil
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.casefile import write_case_file
from deploy.backup import approve, backup, restore
from deploy.run_local import SERVICES, LocalPlatform
from shared.db import Database
from shared.devtools.broker import free_port
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, new_bank, sign_in
from tests.platform_kit import running_platform

from .kit import (
    admin_with_collector,
    assert_acknowledged_equals_applied,
    assert_nothing_lost_or_doubled,
    handled,
    post_case_file,
    service_databases,
    signed_in_admin,
    subscriptions,
)
from .ledger import COLLECTOR, Ledger

pytestmark = [pytest.mark.e2e, pytest.mark.broker]

REPO = Path(__file__).resolve().parents[2]
CASES = 100
LETTERHEAD = {
    "name": "恢复测试银行信用卡中心",
    "address": "上海市示例路 1 号",
    "phone": "021-5555 0100",
    "dispute_phone": "400-555-0199",
}


def new_client_with_cases(
    platform: LocalPlatform, engines: dict[str, Engine], folder: Path
) -> Ledger:
    admin = signed_in_admin(platform)
    with httpx.Client(timeout=30, trust_env=False) as http:
        client_id, bank = new_bank(http, platform, admin)
    path = write_case_file(folder / f"{client_id}.csv", CASES)
    assert post_case_file(platform, client_id, bank, path) in (200, 201, 202)
    assert_nothing_lost_or_doubled(platform, engines, admin, client_id, CASES)
    return Ledger(client_id, bank, CASES)


def some_case(engines: dict[str, Engine], client_id: str) -> str:
    with engines["intake"].connect() as conn:
        return conn.execute(
            text("SELECT id FROM cases WHERE client_id = :c ORDER BY account_ref LIMIT 1"),
            {"c": client_id},
        ).scalar_one()


def inbox_sizes(engines: dict[str, Engine]) -> dict[str, int]:
    sizes = {}
    for name, types in subscriptions().items():
        if types:
            with engines[name].connect() as conn:
                sizes[name] = conn.execute(text("SELECT count(*) FROM inbox")).scalar_one()
    return sizes


def clusters(engines: dict[str, Engine]) -> set[str]:
    """The broker clusters the outboxes' acknowledged rows were acknowledged by."""
    found: set[str] = set()
    for engine in engines.values():
        with engine.connect() as conn:
            found |= set(
                conn.execute(
                    text(
                        "SELECT DISTINCT broker_cluster FROM outbox WHERE published_at IS NOT NULL"
                    )
                ).scalars()
            )
    return found


def fill(platform: LocalPlatform, engines: dict[str, Engine], folder: Path) -> dict[str, object]:
    """Cases, payments, promises, a letter and a recording, through the APIs."""
    ledger = new_client_with_cases(platform, engines, folder)
    ledger.pay_all(platform, {n: (n * 37 % 9_999 + 1) / Decimal(100) for n in range(150)})
    case_id = some_case(engines, ledger.client_id)
    for n in range(0, 100, 20):
        with engines["intake"].connect() as conn:
            promised = conn.execute(
                text("SELECT id FROM cases WHERE client_id = :c AND account_ref = :a"),
                {"c": ledger.client_id, "a": f"6222{n + 1:012d}"},
            ).scalar_one()
        ledger.promise(platform, promised, Decimal("123.45"))
    with httpx.Client(timeout=60, trust_env=False) as http:
        admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
        put = http.put(
            f"{platform.url('letters')}/clients/{ledger.client_id}/letterhead",
            headers=admin,
            json=LETTERHEAD,
        )
        assert put.status_code == 200, put.text
        collector = sign_in(http, platform, *COLLECTOR)
        letter = http.post(
            f"{platform.url('letters')}/cases/{case_id}/letters",
            headers=collector,
            json={"kind": "overdue_notice"},
        )
        assert letter.status_code == 201, letter.text
        sound = (REPO / "docs/samples/call.wav").read_bytes()
        recording = http.post(
            f"{platform.url('contact')}/cases/{case_id}/recordings",
            headers=collector,
            files={"file": ("call.wav", sound, "audio/wav")},
        )
        assert recording.status_code == 201, recording.text
        hq = http.post(
            f"{platform.url('assignment')}/staff",
            headers=admin,
            json={"username": "hq.restore", "name": "总部审批", "role": "hq",
                  "password": "a-long-password"},
        )  # fmt: skip
        assert hq.status_code == 201, hq.text
        hq_token = sign_in(http, platform, "hq.restore", "a-long-password")["Authorization"]
    ledger.assert_exact(engines)
    return {
        "ledger": ledger,
        "case": case_id,
        "letter": letter.json(),
        "recording": (recording.json()["sha256"], sound),
        "hq": hq_token.removeprefix("Bearer "),
    }


def destroy(data: Path, urls: dict[str, str]) -> None:
    shutil.rmtree(data)
    for url in urls.values():
        if not url.startswith("sqlite"):
            db = Database(url)
            try:
                with db.engine.begin() as conn:
                    conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            finally:
                db.dispose()


def test_a_restored_platform_resumes_applies_nothing_twice_and_takes_new_work(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> None:
    work = tmp_path_factory.mktemp("restore_runs")
    data = work / "var"
    with running_platform(data, local_postgres) as platform:
        admin_with_collector(platform, 10 * CASES)
        env = dict(platform.extra_env)
        with service_databases(platform) as engines:
            filled = fill(platform, engines, work)
            assert_acknowledged_equals_applied(engines)
            applied_before = inbox_sizes(engines)
            old_clusters = clusters(engines)
            urls = {
                name: str(engine.url.render_as_string(hide_password=False))
                for name, engine in engines.items()
            }
            # `make backup` while the platform serves
            folder = backup(data, work / "backups", urls, datetime.now(UTC))

    destroy(data, urls)
    approval = approve(
        folder, str(filled["hq"]), "the primary host's disks failed", datetime.now(UTC)
    )
    restore(folder, data, urls, approval)

    again = LocalPlatform({s: free_port() for s in SERVICES}, free_port(), data, env)
    again.start()
    try:
        assert not again.wait_ready(timeout=120), "the restored platform came up"
        with service_databases(again) as engines:
            ledger = filled["ledger"]
            assert isinstance(ledger, Ledger)
            ledger.assert_exact(engines)
            assert_acknowledged_equals_applied(engines)
            deadline = time.monotonic() + 120
            while clusters(engines) != {again.broker.cluster_id} and time.monotonic() < deadline:
                time.sleep(1)
            assert old_clusters and again.broker.cluster_id not in old_clusters
            assert clusters(engines) == {again.broker.cluster_id}, (
                "every acknowledged event was published again to the new broker"
            )
            assert inbox_sizes(engines) == applied_before, "nothing applied twice"
            consumers = [name for name, types in subscriptions().items() if types]
            assert all(handled(again, name, "duplicate") > 0 for name in consumers), (
                "each consumer met the re-published events and absorbed them"
            )
            ledger.assert_exact(engines, timeout=0)
            found_again(again, filled)

            fresh = new_client_with_cases(again, engines, work)
            fresh.pay_all(again, {n: (n + 1) / Decimal(4) for n in range(100)})
            fresh.assert_exact(engines)
            ledger.assert_exact(engines, timeout=0)
            assert_acknowledged_equals_applied(engines)
    finally:
        again.stop()


def found_again(platform: LocalPlatform, filled: dict[str, object]) -> None:
    """The letter's PDF and the recording come back byte for byte."""
    case_id, letter = filled["case"], filled["letter"]
    sha, sound = filled["recording"]  # type: ignore[misc]
    assert isinstance(letter, dict)
    with httpx.Client(timeout=30, trust_env=False) as http:
        collector = sign_in(http, platform, *COLLECTOR)
        pdf = http.get(
            f"{platform.url('letters')}/cases/{case_id}/letters/{letter['id']}/pdf",
            headers=collector,
        )
        assert pdf.status_code == 200
        assert hashlib.sha256(pdf.content).hexdigest() == letter["content_sha256"]
        kept = http.get(
            f"{platform.url('contact')}/cases/{case_id}/recordings/{sha}", headers=collector
        )
        assert kept.status_code == 200 and kept.content == sound
