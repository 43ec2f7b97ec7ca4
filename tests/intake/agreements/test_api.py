"""Agreements: back office files and changes them; a bank reads only its own; a case file
comes under an agreement and is read through its column mapping."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from tests.intake.conftest import AGREEMENT, outbox_payloads, post_file, register_bank


def test_admin_files_changes_and_lists_agreements(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    made = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["retention_until"] == "2032-12-31"
    assert body["commission"] == {"rate": "0.1800", "by_bucket": {"M3": "0.2500"}} or (
        float(body["commission"]["rate"]) == 0.18
    )
    assert body["regular_channel"]["contact_person"] == "王敏"
    again = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin)
    assert again.status_code == 409
    bad = {**AGREEMENT, "number": "X", "reconciliation_day": 31}
    assert intake.post("/clients/ICBC-SH/agreements", json=bad, headers=admin).status_code == 422
    bad = {**AGREEMENT, "number": "Y", "column_mapping": {"客户号": "no_such_field"}}
    answer = intake.post("/clients/ICBC-SH/agreements", json=bad, headers=admin)
    assert answer.status_code == 422 and "column_mapping.客户号" in answer.text
    bad = {**AGREEMENT, "number": "Z", "end_date": "2025-01-01"}
    assert intake.post("/clients/ICBC-SH/agreements", json=bad, headers=admin).status_code == 422

    url = f"/clients/ICBC-SH/agreements/{body['id']}"
    changed = intake.patch(
        url, json={"status": "suspended", "end_date": "2028-06-30"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "suspended"
    both = {"start_date": "2027-01-01", "end_date": "2026-01-01"}
    assert intake.patch(url, json=both, headers=admin).status_code == 422, "a rule of the body"
    against_file = intake.patch(url, json={"end_date": "2000-01-01"}, headers=admin)
    assert against_file.status_code == 409, "the body is fine; the start on file is not"
    assert intake.get(url, headers=admin).json()["end_date"] == "2028-06-30", "nothing written"
    assert changed.json()["retention_until"] == "2033-06-30"
    assert changed.json()["number"] == AGREEMENT["number"]

    assert [a["id"] for a in intake.get("/clients/ICBC-SH/agreements", headers=bank).json()] == [
        body["id"]
    ]
    assert intake.get(url, headers=bank).status_code == 200
    assert intake.patch(url, json={"status": "active"}, headers=bank).status_code == 403
    assert intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=bank).status_code == (
        403
    )


def test_another_bank_gets_404_on_agreements(intake: TestClient, admin: dict[str, str]) -> None:
    register_bank(intake, admin, "ICBC-SH")
    other = register_bank(intake, admin, "CMB-BJ")
    made = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin).json()
    assert intake.get("/clients/ICBC-SH/agreements", headers=other).status_code == 404
    url = f"/clients/ICBC-SH/agreements/{made['id']}"
    assert intake.get(url, headers=other).status_code == 404
    assert intake.get(f"/clients/CMB-BJ/agreements/{made['id']}", headers=other).status_code == 404


def test_a_case_file_is_read_through_its_agreements_mapping(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    mapping = {"客户编号": "account_ref", "户名": "debtor_name", "应收合计": "total_owed"}
    made = intake.post(
        "/clients/ICBC-SH/agreements",
        json={**AGREEMENT, "column_mapping": mapping},
        headers=admin,
    ).json()
    content = "客户编号,户名,应收合计\nK-1,张三,100.00\n".encode()
    posted = post_file(intake, "ICBC-SH", content, bank)
    assert posted.status_code == 201, posted.text
    assert posted.json()["agreement_id"] == made["id"]
    case = intake.get("/clients/ICBC-SH/cases/K-1", headers=bank).json()
    assert case["agreement_id"] == made["id"] and case["total_owed"] == "100.00"

    second = {**AGREEMENT, "number": "HT-2026-002"}
    other = intake.post("/clients/ICBC-SH/agreements", json=second, headers=admin).json()
    content2 = "卡号,姓名,欠款总额\nK-2,李四,5\n".encode()
    answer = post_file(intake, "ICBC-SH", content2, bank)
    assert answer.status_code == 409 and "agreement_id" in answer.json()["detail"]
    named = intake.post(
        "/clients/ICBC-SH/case-files",
        files={"file": ("c.csv", content2, "text/csv")},
        data={"agreement_id": other["id"]},
        headers=bank,
    )
    assert named.status_code == 201, named.text
    assert named.json()["agreement_id"] == other["id"]
    unknown = intake.post(
        "/clients/ICBC-SH/case-files",
        files={"file": ("c.csv", b"x", "text/csv")},
        data={"agreement_id": "nope"},
        headers=bank,
    )
    assert unknown.status_code == 404


def test_every_create_and_change_announces_the_terms(
    intake: TestClient, admin: dict[str, str]
) -> None:
    register_bank(intake, admin, "ICBC-SH")
    made = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin)
    assert made.status_code == 201, made.text
    url = f"/clients/ICBC-SH/agreements/{made.json()['id']}"
    changed = intake.patch(url, json={"reconciliation_day": 20}, headers=admin)
    assert changed.status_code == 200, changed.text
    refused = intake.patch(url, json={"end_date": "2020-01-01"}, headers=admin)
    assert refused.status_code == 409, "ends before the start on file"

    saved = [e["payload"] for e in outbox_payloads(intake, "AgreementSaved")]
    assert len(saved) == 2, "a refused change announces nothing"
    first, second = saved
    assert first["agreement_id"] == second["agreement_id"] == made.json()["id"]
    assert first["client_id"] == "ICBC-SH" and first["number"] == "HT-2026-001"
    assert Decimal(first["commission_rate"]) == Decimal("0.18")
    assert {k: Decimal(v) for k, v in first["bucket_rates"].items()} == {"M3": Decimal("0.25")}
    assert Decimal(first["recovery_target"]) == Decimal("23000000.00")
    assert (first["reconciliation_day"], second["reconciliation_day"]) == (25, 20)
    assert (first["starts_on"], first["ends_on"]) == ("2026-01-01", "2027-12-31")


def test_per_bucket_rates_name_only_buckets(intake: TestClient, admin: dict[str, str]) -> None:
    register_bank(intake, admin, "ICBC-SH")
    every = {b: "0.2" for b in ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+")}
    made = intake.post(
        "/clients/ICBC-SH/agreements",
        json={**AGREEMENT, "commission": {"rate": "0.18", "by_bucket": every}},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    assert set(made.json()["commission"]["by_bucket"]) == set(every)
    assert made.json()["commission"]["unknown_buckets"] == []
    for typo in ("M4+", "m3", "M8"):
        bad = {**AGREEMENT, "number": f"B-{typo}", "commission": {"rate": "0.18",
               "by_bucket": {"M2": "0.2", typo: "0.3"}}}  # fmt: skip
        answer = intake.post("/clients/ICBC-SH/agreements", json=bad, headers=admin)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert typo in answer.text and "M7+" in answer.text, "names the key and the buckets"
    url = f"/clients/ICBC-SH/agreements/{made.json()['id']}"
    patched = intake.patch(
        url, json={"commission": {"rate": "0.18", "by_bucket": {"M4+": "0.3"}}}, headers=admin
    )
    assert patched.status_code == 422 and "M4+" in patched.text
    kept = intake.get(url, headers=admin).json()["commission"]["by_bucket"]
    assert set(kept) == set(every), "the refused change left the rates as they were"


def test_an_agreement_saved_with_an_unknown_bucket_is_reported(
    intake: TestClient, admin: dict[str, str]
) -> None:
    from services.intake.agreements.models import Agreement
    from services.intake.main import report_unknown_buckets

    register_bank(intake, admin, "ICBC-SH")
    made = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin).json()
    runtime = intake.app.state.runtime  # type: ignore[attr-defined]
    assert report_unknown_buckets(runtime) == 0
    with runtime.work() as uow:  # as saved before keys were checked
        agreement = uow.session.get(Agreement, made["id"])
        agreement.bucket_rates = {"M3": "0.25", "M4+": "0.30"}
        uow.session.add(agreement)
    assert report_unknown_buckets(runtime) == 1
    shown = intake.get(f"/clients/ICBC-SH/agreements/{made['id']}", headers=admin).json()
    assert shown["commission"]["unknown_buckets"] == ["M4+"]


def test_an_agreement_says_whether_outsourcing_needs_an_approval(
    intake: TestClient, admin: dict[str, str]
) -> None:
    register_bank(intake, admin, "ICBC-SH")
    made = intake.post("/clients/ICBC-SH/agreements", json=AGREEMENT, headers=admin).json()
    assert made["outsourcing_needs_approval"] is False, "none unless the agreement says so"
    url = f"/clients/ICBC-SH/agreements/{made['id']}"
    changed = intake.patch(url, json={"outsourcing_needs_approval": True}, headers=admin)
    assert changed.status_code == 200 and changed.json()["outsourcing_needs_approval"] is True
    saved = outbox_payloads(intake, "AgreementSaved")
    assert [e["payload"]["outsourcing_needs_approval"] for e in saved] == [False, True]
