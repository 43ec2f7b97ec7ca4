"""One letter's life on the running platform: a bank's case reaches letters over the bus, an
"invoice not received" call logged in contact makes letters send a statement by itself, and
a collector issues, posts and proves a final notice as the README shows."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from deploy.run_local import LocalPlatform
from services.letters.domain.deadlines import DeadlineRule, add_days
from services.letters.domain.limitation import years_after
from shared.clock import to_local
from shared.devtools.postgres import LocalPostgres
from shared.workdays.calendar import WorkdayCalendar
from tests.e2e.test_thin_slice import ADMIN_PASSWORD, eventually, json_when, new_bank, sign_in
from tests.platform_kit import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


@pytest.fixture(scope="module")
def platform(
    tmp_path_factory: pytest.TempPathFactory, local_postgres: LocalPostgres | None
) -> Iterator[LocalPlatform]:
    with running_platform(tmp_path_factory.mktemp("letters_e2e"), local_postgres) as running:
        yield running


def test_a_letter_from_case_file_to_evidence_pack(platform: LocalPlatform) -> None:
    http = httpx.Client(timeout=30, trust_env=False)
    admin = sign_in(http, platform, "admin", ADMIN_PASSWORD)
    client_id, bank = new_bank(http, platform, admin)
    username = f"c{uuid.uuid4().hex[:6]}"
    made = http.post(
        f"{platform.url('assignment')}/staff",
        headers=admin,
        json={
            "username": username,
            "name": "钱七",
            "role": "phone_collector",
            "password": "secret-pw-1",
        },
    )
    assert made.status_code == 201, made.text
    collector = sign_in(http, platform, username, "secret-pw-1")
    csv = '卡号,姓名,欠款总额,手机号,逾期日期\nL1,孙八,"1,081.00",13800138000,2026-10-01\n'
    posted = http.post(
        f"{platform.url('intake')}/clients/{client_id}/case-files",
        files={"file": ("cases.csv", csv.encode(), "text/csv")},
        headers=bank,
    )
    assert posted.status_code == 201, posted.text
    case_id = http.get(
        f"{platform.url('intake')}/clients/{client_id}/cases/L1", headers=bank
    ).json()["id"]
    letters = f"{platform.url('letters')}/cases/{case_id}"
    json_when(http, letters, collector, lambda body: body.get("collector_id") is not None)
    head = {"name": "孙银行", "address": "上海", "phone": "021-1", "dispute_phone": "400-1"}
    assert (
        http.put(
            f"{platform.url('letters')}/clients/{client_id}/letterhead", json=head, headers=admin
        ).status_code
        == 200
    )

    # contact → letters over the bus: a statement after "invoice not received"
    json_when(
        http,
        f"{platform.url('contact')}/cases/{case_id}",
        collector,
        lambda b: b.get("collector_id"),
    )
    logged = http.post(
        f"{platform.url('contact')}/cases/{case_id}/attempts",
        headers=admin,
        json={
            "channel": "phone",
            "party": "debtor",
            "used": "13800138000",
            "started_at": datetime.now(UTC).isoformat(),
            "outcome": "invoice_not_received",
            "override_reason": "e2e: the debtor called us",
        },
    )
    assert logged.status_code == 201, logged.text
    (statement,) = eventually(
        lambda: [
            x
            for x in http.get(f"{letters}/letters", headers=collector).json()["items"]
            if x["kind"] == "statement"
        ]
    )
    assert statement["issued_why"] == "invoice_not_received"

    issued = http.post(f"{letters}/letters", headers=collector, json={"kind": "final_notice"})
    assert issued.status_code == 201, issued.text
    letter = issued.json()
    today = to_local(datetime.fromisoformat(letter["issued_at"])).date()  # proof: issue day
    base = f"{letters}/letters/{letter['id']}"
    pdf = http.get(f"{base}/pdf", headers=collector).content
    assert hashlib.sha256(pdf).hexdigest() == letter["content_sha256"]
    sent = http.post(
        f"{base}/dispatch",
        headers=collector,
        json={
            "channel": "registered_mail",
            "carrier": "中国邮政",
            "tracking_number": "XA1CN",
            "mailed_on": today.isoformat(),
        },
    )
    assert sent.status_code == 201, sent.text
    done = http.post(
        f"{base}/delivery",
        headers=collector,
        json={"outcome": "signed", "outcome_on": today.isoformat()},
    )
    due = add_days(today, DeadlineRule(10, "calendar"), WorkdayCalendar().is_workday)
    assert done.status_code == 201 and done.json()["delivery"]["deadline_on"] == due.isoformat()
    stub = http.post(
        f"{base}/evidence",
        headers=collector,
        data={"kind": "mailing_stub"},
        files={"file": ("stub.jpg", b"\xff\xd8\xffstub", "image/jpeg")},
    )
    assert stub.status_code == 201, stub.text
    with zipfile.ZipFile(
        io.BytesIO(http.get(f"{base}/evidence.zip", headers=collector).content)
    ) as pack:
        assert pack.read("letter.pdf") == pdf and "proof/01-mailing_stub.jpg" in pack.namelist()
    limitation = http.get(f"{letters}/limitation", headers=collector).json()
    assert [h["fact"] for h in limitation["history"]] == ["default_known", "demand_delivered"]
    assert limitation["ends_on"] == years_after(today).isoformat()
