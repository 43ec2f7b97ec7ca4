"""A bank lists its own work: batches, cases (by state, bucket, account) and payments, in
keyset pages; payments take amounts as files write them; the mapping fields are listed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.intake.conftest import case_file, post_file, register_bank


def _all_pages(intake: TestClient, url: str, headers: dict[str, str], limit: int) -> list[Any]:
    items: list[Any] = []
    after: str | None = None
    for _ in range(50):
        params: dict[str, Any] = {"limit": limit, **({"after": after} if after else {})}
        answer = intake.get(url, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        after = page["next_cursor"]
        if after is None:
            return items
    raise AssertionError("the pages never ended")


def _pay(intake: TestClient, bank: dict[str, str], ref: str, tx: str, amount: Any) -> Any:
    body = {"account_ref": ref, "transaction_ref": tx, "amount": amount,
            "paid_at": "2026-12-01T10:00:00+08:00"}  # fmt: skip
    return intake.post("/clients/ICBC-SH/payments", json=body, headers=bank)


def test_a_bank_pages_through_its_batches_cases_and_payments(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    other = register_bank(intake, admin, "BOC-SH")
    first = post_file(
        intake, "ICBC-SH", case_file(*[(f"A{i:02}", "张三", "100") for i in range(7)]), bank
    )
    second = post_file(
        intake, "ICBC-SH", case_file(("B01", "李四", "9"), ("A03", "张三", "50")), bank
    )
    post_file(intake, "BOC-SH", case_file(("A01", "王五", "1")), other)
    assert (first.status_code, second.status_code) == (201, 201)
    intake.post(
        "/clients/ICBC-SH/cases/A05/recall", json={"reason": "paid at branch"}, headers=bank
    )

    batches = _all_pages(intake, "/clients/ICBC-SH/case-files", bank, limit=1)
    assert [b["id"] for b in batches] == [second.json()["id"], first.json()["id"]], "newest first"

    cases = _all_pages(intake, "/clients/ICBC-SH/cases", bank, limit=3)
    assert [c["account_ref"] for c in cases] == [*(f"A{i:02}" for i in range(7)), "B01"]
    recalled = intake.get("/clients/ICBC-SH/cases?state=recalled", headers=bank).json()
    assert [c["account_ref"] for c in recalled["items"]] == ["A05"]
    prefixed = intake.get("/clients/ICBC-SH/cases?account_ref=B", headers=bank).json()
    assert [c["account_ref"] for c in prefixed["items"]] == ["B01"]
    bucket = cases[0]["bucket"]
    in_bucket = intake.get(
        "/clients/ICBC-SH/cases", params={"bucket": bucket or "M9"}, headers=bank
    )
    assert all(c["bucket"] == bucket for c in in_bucket.json()["items"])

    for i, amount in enumerate(("1,234.50", "¥20", 3.5, "12元")):
        assert _pay(intake, bank, "A01", f"T{i}", amount).status_code == 201
    paid = _all_pages(intake, "/clients/ICBC-SH/payments", bank, limit=3)
    assert [p["amount"] for p in paid] == ["12.00", "3.50", "20.00", "1234.50"], "latest first"
    one_case = intake.get("/clients/ICBC-SH/payments?account_ref=A02", headers=bank).json()
    assert one_case == {"items": [], "next_cursor": None}

    assert intake.get("/clients/BOC-SH/cases", headers=bank).status_code == 404
    assert intake.get("/clients/BOC-SH/payments", headers=bank).status_code == 404
    theirs = intake.get("/clients/BOC-SH/cases", headers=other).json()["items"]
    assert [c["account_ref"] for c in theirs] == ["A01"]
    assert intake.get("/clients/NOPE/case-files", headers=admin).status_code == 404


def test_clients_come_in_pages_by_id(intake: TestClient, admin: dict[str, str]) -> None:
    for client_id in ("C-3", "C-1", "C-2"):
        register_bank(intake, admin, client_id)
    clients = _all_pages(intake, "/clients", admin, limit=2)
    assert [c["id"] for c in clients] == ["C-1", "C-2", "C-3"]


def test_a_cursor_not_given_out_is_refused(intake: TestClient, admin: dict[str, str]) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    for unshaped in ("not%20a%20cursor", "WyJ4Il0%3D"):  # not base64url without padding
        answer = intake.get(f"/clients/ICBC-SH/cases?after={unshaped}", headers=bank)
        assert answer.status_code == 422, answer.text
    # The documented shape, but no position in this list: WyJ4Il0 = ["x"], one value where
    # two are read; "WyJ4IiwxXQ" = ["x",1], a number where a time is read.
    for unknown in ("not-a-cursor", "WyJ4Il0", "WyJ4IiwxXQ"):
        answer = intake.get(f"/clients/ICBC-SH/cases?after={unknown}", headers=bank)
        assert answer.status_code == 404, answer.text
        assert "cursor" in answer.json()["detail"]


def test_payment_amounts_read_as_files_write_them(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    post_file(intake, "ICBC-SH", case_file(("A01", "张三", "5000")), bank)
    assert _pay(intake, bank, "A01", "T1", "1,234.50").json()["amount"] == "1234.50"
    for bad, reason in (
        ("1,23.4", "misplaced thousands separator"),
        ("12.345", "more than 2 decimal places"),
        ("-5", "amount is negative"),
    ):
        refused = _pay(intake, bank, "A01", "T2", bad)
        assert refused.status_code == 422, refused.text
        assert reason in refused.text
    assert _pay(intake, bank, "A01", "T3", "0").status_code == 422
    adjusted = intake.post(
        "/clients/ICBC-SH/cases/A01/adjustments", json={"total_owed": "4,800.00"}, headers=bank
    )
    assert adjusted.status_code == 200, adjusted.text
    assert adjusted.json()["total_owed"] == "4800.00"


def test_the_fields_a_column_can_map_to_are_listed(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    answer = intake.get("/mapping-fields", headers=bank)
    assert answer.status_code == 200, answer.text
    fields = {f["field"]: f for f in answer.json()["fields"]}
    assert {"account_ref", "debtor_name", "total_owed", "as_of", "mobile_phone"} <= set(fields)
    assert [n for n, f in fields.items() if f["required"]] == [
        "account_ref", "debtor_name", "total_owed"
    ]  # fmt: skip
    assert "卡号" in fields["account_ref"]["default_headers"]
    assert fields["mobile_phone"]["feeds"] == "phones"
    channel = {"contact_person": "陈", "phone": "021-1234567", "email": "a@bank.cn"}
    mapped = intake.post(
        "/clients/ICBC-SH/agreements", headers=admin,
        json={"number": "N1", "start_date": "2026-01-01", "end_date": "2026-12-31",
              "reconciliation_day": 1, "recovery_target": "1", "commission": {"rate": "0.1"},
              "regular_channel": channel, "emergency_channel": channel,
              "column_mapping": {f"列{i}": name for i, name in enumerate(fields)}},
    )  # fmt: skip
    assert mapped.status_code == 201, "every listed field is one a mapping may name"


def test_without_credentials_a_bank_is_told_about_its_key(intake: TestClient) -> None:
    answer = intake.get("/clients/ICBC-SH/cases")
    assert answer.status_code == 401
    assert "X-API-Key" in answer.json()["detail"]
