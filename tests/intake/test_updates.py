"""What a bank tells us after the file: payments (one by one or as a file), recalls,
balance adjustments — each published once, and each only for the bank's own cases."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.intake.conftest import case_file, outbox_payloads, outbox_types, post_file, register_bank

PAYMENT = {
    "account_ref": "A-1",
    "transaction_ref": "T-001",
    "amount": "50.00",
    "paid_at": "2026-11-01T10:00:00+08:00",
}


def _bank_with_case(intake: TestClient, admin: dict[str, str]) -> dict[str, str]:
    bank = register_bank(intake, admin, "ICBC-SH")
    assert post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "100")), bank).status_code == 201
    return bank


def test_a_payment_is_recorded_once_per_transaction_reference(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = _bank_with_case(intake, admin)
    first = intake.post("/clients/ICBC-SH/payments", json=PAYMENT, headers=bank)
    assert first.status_code == 201, first.text
    assert first.json()["paid_at"].startswith("2026-11-01T02:00:00")
    again = intake.post("/clients/ICBC-SH/payments", json=PAYMENT, headers=bank)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = intake.post(
        "/clients/ICBC-SH/payments", json={**PAYMENT, "amount": "60.00"}, headers=bank
    )
    assert other.status_code == 409
    assert outbox_types(intake).count("PaymentReceived") == 1
    [event] = outbox_payloads(intake, "PaymentReceived")
    assert event["payload"]["amount"] == "50.00" and event["payload"]["transaction_ref"] == "T-001"
    unknown = intake.post(
        "/clients/ICBC-SH/payments",
        json={**PAYMENT, "transaction_ref": "T-9", "account_ref": "NOPE"},
        headers=bank,
    )
    assert unknown.status_code == 404
    bad = intake.post("/clients/ICBC-SH/payments", json={**PAYMENT, "amount": "0"}, headers=bank)
    assert bad.status_code == 422


def test_payments_as_a_file(intake: TestClient, admin: dict[str, str]) -> None:
    bank = _bank_with_case(intake, admin)
    content = (
        "卡号,交易流水号,还款金额,还款日期\n"
        "A-1,T-1,10.00,2026-11-01\n"
        "A-1,T-1,10.00,2026-11-01\n"
        "A-1,T-2,abc,2026-11-01\n"
        "B-9,T-3,5,2026-11-01\n"
        'A-1,T-4,"1,000.00",2026/11/2\n'
    ).encode()
    answer = intake.post(
        "/clients/ICBC-SH/payment-files",
        files={"file": ("p.csv", content, "text/csv")},
        headers=bank,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["rows_total"], body["recorded"], body["repeated"]) == (5, 2, 1)
    assert sorted(e["row"] for e in body["errors"]) == [4, 5]
    assert outbox_types(intake).count("PaymentReceived") == 2
    missing = intake.post(
        "/clients/ICBC-SH/payment-files",
        files={"file": ("p.csv", "卡号,金额\nA-1,5\n".encode(), "text/csv")},
        headers=bank,
    )
    assert missing.status_code == 422


def test_a_recalled_case_stays_recalled(intake: TestClient, admin: dict[str, str]) -> None:
    bank = _bank_with_case(intake, admin)
    url = "/clients/ICBC-SH/cases/A-1/recall"
    first = intake.post(url, json={"reason": "settled with the bank"}, headers=bank)
    assert first.status_code == 200 and first.json()["state"] == "recalled"
    assert intake.post(url, json={}, headers=bank).status_code == 200
    assert outbox_types(intake).count("CaseRecalled") == 1
    later = post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "200")), bank).json()
    assert later["rows_rejected"] == 1 and later["rows_updated"] == 0
    report = intake.get(later["errors_url"], headers=bank).content.decode("utf-8-sig")
    assert "recalled" in report
    assert "CaseUpdated" not in outbox_types(intake)
    adjust = intake.post("/clients/ICBC-SH/cases/A-1/adjustments", json={"fees": "5"}, headers=bank)
    assert adjust.status_code == 409


def test_a_balance_adjustment_publishes_what_changed(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = _bank_with_case(intake, admin)
    url = "/clients/ICBC-SH/cases/A-1/adjustments"
    answer = intake.post(url, json={"fees": "20.00"}, headers=bank)
    assert answer.status_code == 200, answer.text
    assert answer.json()["total_owed"] == "120.00"
    same = intake.post(url, json={"fees": "20.00"}, headers=bank)
    assert same.status_code == 200
    [event] = outbox_payloads(intake, "CaseUpdated")
    assert event["payload"]["changes"] == {
        "fees": ["0.00", "20.00"],
        "total_owed": ["100.00", "120.00"],
    }
    assert intake.post(url, json={}, headers=bank).status_code == 422


def test_another_bank_gets_404_on_every_update_route(
    intake: TestClient, admin: dict[str, str]
) -> None:
    _bank_with_case(intake, admin)
    other = register_bank(intake, admin, "CMB-BJ")
    for client_id in ("ICBC-SH", "CMB-BJ"):
        base = f"/clients/{client_id}"
        for answer in (
            intake.get(f"{base}/cases/A-1", headers=other),
            intake.post(f"{base}/payments", json=PAYMENT, headers=other),
            intake.post(f"{base}/cases/A-1/recall", json={}, headers=other),
            intake.post(f"{base}/cases/A-1/adjustments", json={"fees": "1"}, headers=other),
        ):
            assert answer.status_code == 404, (client_id, answer.text)
    file_answer = intake.post(
        "/clients/ICBC-SH/payment-files",
        files={"file": ("p.csv", b"a,b\n", "text/csv")},
        headers=other,
    )
    assert file_answer.status_code == 404
    for event in ("PaymentReceived", "CaseRecalled", "CaseUpdated"):
        assert event not in outbox_types(intake)
