"""Outside agencies end to end, through the real broker and five service processes: an
agreement that requires an approval for outsourcing reaches assignment; a case placed under
it waits until a second admin grants it; a payment the bank then reports counts for the
agency in reporting, with the agency's commission per line beside the bank's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from deploy.run_local import LocalPlatform
from shared.clock import to_local
from shared.devtools.postgres import LocalPostgres
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, case_file, json_when, new_bank, sign_in
from tests.intake.conftest import AGREEMENT
from tests.platform_kit import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    with running_platform(tmp_path_factory.mktemp("agencies"), local_postgres) as running:
        yield running


def staff(
    http: httpx.Client, platform: LocalPlatform, admin: dict, role: str, **extra: str
) -> dict:
    username = f"{role[:5]}.{uuid.uuid4().hex[:6]}"
    body = {"username": username, "name": username, "role": role, "password": f"{username}-pw-long"}
    made = http.post(f"{platform.url('assignment')}/staff", headers=admin, json=body | extra)
    assert made.status_code == 201, made.text
    return {"id": made.json()["id"], "auth": sign_in(http, platform, username, body["password"])}


def test_a_payment_during_an_approved_placement_counts_for_the_agency(
    platform: LocalPlatform,
) -> None:
    intake, assignment = platform.url("intake"), platform.url("assignment")
    reporting = platform.url("reporting")
    with httpx.Client(timeout=10, trust_env=False) as http:
        admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
        client_id, bank = new_bank(http, platform, admin)
        terms = AGREEMENT | {"reconciliation_day": 1, "outsourcing_needs_approval": True,
                             "commission": {"rate": "0.12"}}  # fmt: skip
        filed = http.post(f"{intake}/clients/{client_id}/agreements", json=terms, headers=admin)
        assert filed.status_code == 201, filed.text
        staff(http, platform, admin, "phone_collector")
        second_admin = staff(http, platform, admin, "admin")
        agency_id = f"AGY-{uuid.uuid4().hex[:6]}"
        agency = {"name": "诚信委外", "commission_rate": "0.2500", "term_days": 90}
        made = http.put(f"{assignment}/agencies/{agency_id}", json=agency, headers=admin)
        assert made.status_code == 200, made.text
        agency_user = staff(http, platform, admin, "phone_collector", team_id=agency_id)

        file = {"file": ("c.csv", case_file(("AG1", "张三", "5000")), "text/csv")}
        posted = http.post(f"{intake}/clients/{client_id}/case-files", headers=bank, files=file)
        assert posted.status_code == 201, posted.text
        case_id = http.get(f"{intake}/clients/{client_id}/cases/AG1", headers=bank).json()["id"]
        json_when(http, f"{assignment}/cases/{case_id}", admin,
                  lambda c: c.get("collector_id") is not None)  # fmt: skip

        body = {"reason": "habitual late payer", "case_ids": [case_id]}
        placed = http.post(
            f"{assignment}/agencies/{agency_id}/placements", json=body, headers=admin
        )
        assert placed.status_code == 201, placed.text
        [waiting] = placed.json()
        assert waiting["status"] == "waiting", "the agreement requires an approval"
        grant = f"{assignment}/approvals/{waiting['approval_id']}/grant"
        assert http.post(grant, json={}, headers=admin).status_code == 409, "four eyes"
        granted = http.post(grant, json={"note": "同意"}, headers=second_admin["auth"])
        assert granted.status_code == 200, granted.text
        held = http.get(f"{assignment}/cases/{case_id}", headers=admin).json()
        assert held["collector_id"] == agency_user["id"]

        # The agency's collector sees the case in contact once the reassignment arrives;
        # by then reporting has had the placement too (same topic, same case key, in order).
        json_when(http, f"{platform.url('contact')}/cases/{case_id}", agency_user["auth"],
                  lambda c: c.get("collector_id") == agency_user["id"])  # fmt: skip
        paid_at = datetime.now(UTC)
        payment = {"account_ref": "AG1", "transaction_ref": f"TX-{uuid.uuid4().hex[:8]}",
                   "amount": "1234.50", "paid_at": paid_at.isoformat()}  # fmt: skip
        paid = http.post(f"{intake}/clients/{client_id}/payments", json=payment, headers=bank)
        assert paid.status_code in (200, 201), paid.text

        month = to_local(paid_at).strftime("%Y-%m")
        statement = json_when(
            http, f"{reporting}/reports/reconciliation/{client_id}?month={month}", admin,
            lambda r: bool(r["sections"][0]["rows"]),
        )  # fmt: skip
        [line] = statement["sections"][0]["rows"]
        assert (line["agency_id"], line["amount"]) == (agency_id, "1234.50")
        assert line["commission"] == "148.14", "the bank's 12 %, as without an agency"
        assert line["agency_rate"] == "0.2500"
        assert line["agency_commission"] == "308.63", "308.625 half-up"
        assert statement["sections"][1]["rows"] == [
            {
                "agency_id": agency_id,
                "name": "诚信委外",
                "payments": 1,
                "recovered": "1234.50",
                "commission": "308.63",
            }
        ]
        report = http.get(f"{reporting}/reports/agencies?month={month}", headers=admin).json()
        ours = [r for r in report["sections"][1]["rows"] if r["agency_id"] == agency_id]
        assert ours == statement["sections"][1]["rows"]
