"""The emergency channel on the running platform: a payment intake records and an incident
raised in assignment (reaching intake over the broker) arrive at the bank's receiver on
127.0.0.1, signed, verified by the README's check, each once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deploy.run_local import LocalPlatform
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import case_file, eventually, new_bank, sign_in
from tests.intake.conftest import AGREEMENT
from tests.intake.emergency_kit import Receiver
from tests.platform_kit import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    fast = {"INTAKE_EMERGENCY_DELIVERY_SECONDS": "0.5"}
    with running_platform(tmp_path_factory.mktemp("e2e_hooks"), local_postgres, fast) as running:
        yield running


def test_notifications_reach_the_banks_receiver_signed_and_once(
    platform: LocalPlatform, tmp_path: Path
) -> None:
    receiver = Receiver("", time.time).start()
    try:
        with httpx.Client(timeout=10, trust_env=False) as http:
            admin = sign_in(http, platform, "admin", "change-me-admin")
            client_id, bank = new_bank(http, platform, admin)
            intake = platform.url("intake")
            made = http.post(f"{intake}/clients/{client_id}/agreements", json=AGREEMENT,
                             headers=admin)  # fmt: skip
            assert made.status_code == 201, made.text
            endpoint = (
                f"{intake}/clients/{client_id}/agreements/{made.json()['id']}/emergency-endpoint"
            )
            setup = http.put(endpoint, json={"url": receiver.url, "topics": ["payment_received"]},
                             headers=admin)  # fmt: skip
            assert setup.status_code == 200, setup.text
            receiver.secret = setup.json()["secret"]
            files = {"file": ("cases.csv", case_file(("E-1", "张三", "300.00")), "text/csv")}
            posted = http.post(
                f"{intake}/clients/{client_id}/case-files", files=files, headers=bank
            )
            assert posted.status_code == 201, posted.text
            payment = {"account_ref": "E-1", "transaction_ref": "T-E1", "amount": "100.00",
                       "paid_at": "2026-11-01T10:00:00+08:00"}  # fmt: skip
            paid = http.post(f"{intake}/clients/{client_id}/payments", json=payment, headers=bank)
            assert paid.status_code == 201, paid.text
            raised = http.post(
                f"{platform.url('assignment')}/incidents",
                json={"kind": "force_majeure", "what": "台风停工", "client_ids": [client_id]},
                headers=admin,
            )
            assert raised.status_code == 201, raised.text

            def types() -> list[str] | None:
                seen = sorted(json.loads(r.body)["type"] for r in receiver.received)
                return seen if len(seen) >= 2 else None

            assert eventually(types, timeout=90) == ["IncidentReported", "PaymentReceived"]
            assert all(r.verified for r in receiver.received)
            incident = next(json.loads(r.body) for r in receiver.received
                            if json.loads(r.body)["type"] == "IncidentReported")  # fmt: skip
            assert incident["data"]["incident_id"] == raised.json()["id"]
            time.sleep(2)
            assert len(receiver.received) == 2, "each once"
            log = http.get(endpoint + "/deliveries", headers=bank).json()
            assert {n["state"] for n in log} == {"delivered"} and len(log) == 2
    finally:
        receiver.stop()
