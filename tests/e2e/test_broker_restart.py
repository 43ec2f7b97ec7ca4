"""The local broker forgets everything when it restarts. The runner restarts the services
with it, the relays publish again what the broker lost, and nothing is counted twice."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import httpx
import pytest

from deploy.run_local import SERVICES, LocalPlatform
from tests.platform_kit import running_platform

from .test_thin_slice import case_file, counts, eventually, new_bank, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


@pytest.fixture
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPlatform]:
    checks = {f"{s.upper()}_RELAY_CHECK_BROKER_SECONDS": "2" for s in SERVICES}
    with running_platform(tmp_path_factory.mktemp("restart"), extra_env=checks) as running:
        yield running


def test_a_broker_restart_loses_no_event_and_doubles_none(platform: LocalPlatform) -> None:
    with httpx.Client(timeout=10, trust_env=False) as http:
        admin = sign_in(http, platform, "admin", "change-me-admin")
        made = http.post(
            f"{platform.url('assignment')}/staff",
            headers=admin,
            json={
                "username": "li.si",
                "name": "李四",
                "role": "phone_collector",
                "password": "li-si-secret-pw",
            },
        )
        assert made.status_code == 201
        client_id, bank = new_bank(http, platform, admin)
        url = f"{platform.url('intake')}/clients/{client_id}/case-files"
        before = case_file(("R1", "钱一", "10"), ("R2", "孙二", "20"))
        assert (
            http.post(url, files={"file": ("a.csv", before, "text/csv")}, headers=bank).status_code
            == 201
        )
        eventually(lambda: counts(http, platform, client_id, admin).get("cases_assigned") == 2)

        assert platform.broker.pid is not None
        os.kill(platform.broker.pid, signal.SIGKILL)
        eventually(lambda: not platform.broker.is_running())
        platform.supervise_once()  # what `make run` does every half second
        assert platform.broker.is_running()
        assert not platform.wait_ready(timeout=120)

        after = case_file(("R3", "周三", "30"))
        assert (
            http.post(url, files={"file": ("b.csv", after, "text/csv")}, headers=bank).status_code
            == 201
        )
        eventually(
            lambda: counts(http, platform, client_id, admin).get("cases_assigned") == 3, timeout=90
        )
        tally = http.get(f"{platform.url('reporting')}/reports/event-tally", headers=admin)
        by_type = {t["event_type"]: t["count"] for t in tally.json()}
        final = counts(http, platform, client_id, admin)
        metrics = http.get(f"{platform.url('intake')}/metrics").text
    republished = next(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith('outbox_republished_total{service="intake"}')
    )
    assert republished >= 3, "the first file's events (2 cases + its completion) went out again"
    assert final == {"client_id": client_id, "cases_imported": 3, "cases_assigned": 3}
    assert by_type["CaseImported"] == 3, "republished events must not be counted twice"
    assert by_type["CaseAssigned"] == 3
