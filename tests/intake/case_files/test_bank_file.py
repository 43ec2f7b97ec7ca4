"""A bank's own file, as its integration engineer would send it: GBK, the bank's Chinese
headers, a 序号 column, 逾期天数 computed on the day of extraction (委案日期) and posted
three days later, with rows that must be rejected and rows that import with warnings."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.intake.main import create_app
from tests.intake.conftest import AGREEMENT, intake_settings, outbox_payloads, register_bank

RECEIVED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai, 2026-11-23
HEADER = (
    "序号,客户姓名,证件号码,手机号码,单位电话,卡号,逾期本金,逾期利息,滞纳金,欠款总额,"
    "首次逾期日期,逾期天数,委案日期,分行"
)
ID_OK = "11010519491231002X"
ID_BAD = "110105194912310021"  # wrong check digit


def line(n: int, name: str, card: str, *, total: str = "50000.00", work: str = "021-62345678",
         id_number: str = ID_OK, since: str = "2025-12-17", days: str = "338",
         as_of: str = "2026-11-20") -> str:  # fmt: skip
    """A row extracted on 2026-11-20: 338 days past due since 2025-12-17."""
    return (
        f'{n},{name},{id_number},13812345678,{work},{card},48000.00,1500.00,500.00,"{total}",'
        f"{since},{days},{as_of},上海分行"
    )


ROWS = [
    line(1, "张三", "6222000000000001"),
    line(2, "李四", "6222000000000002", since="2026-10-22", days="29"),
    line(3, "王五", "6222000000000003", work="6234"),
    line(4, "赵六", "6222000000000004", id_number=ID_BAD),
    line(5, "钱七", "6222000000000005", total="99,999,999.99"),
    line(6, "孙八", "6222000000000006", days="300"),
    line(7, "", "6222000000000007"),
    line(8, "吴十", "6222000000000008", total="-50000.00"),
    line(9, "郑一", "6222000000000001"),
    line(10, "冯二", "6222000000000010", since="2025-13-40"),
    line(11, "陈三", "6222000000000011", work="6234", id_number=ID_BAD),
]


def bank_file(rows: list[str] = ROWS, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("gbk")


REPORT_HEADER = ["line (header = line 1)", "序号 (bank row)", "severity", "column", "value"]
EXPECTED_REPORT = [
    ["4", "3", "warning", "单位电话", "6234"],
    ["5", "4", "warning", "证件号码", ID_BAD],
    ["6", "5", "warning", "欠款总额", "99,999,999.99"],
    ["7", "6", "warning", "逾期天数", "300"],
    ["8", "7", "error", "客户姓名", ""],
    ["9", "8", "error", "欠款总额", "-50000.00"],
    ["10", "9", "error", "卡号", "6222000000000001"],
    ["11", "10", "error", "首次逾期日期", "2025-13-40"],
    ["12", "11", "warning", "证件号码", ID_BAD],
    ["12", "11", "warning", "单位电话", "6234"],
]


@pytest.fixture
def intake(
    database_url: str, tmp_path: Path, key_dir: Path, signing_key: Ed25519PrivateKey
) -> Iterator[TestClient]:
    app = create_app(intake_settings(database_url, tmp_path, key_dir), clock=lambda: RECEIVED)
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while not app.state.runtime.migrated:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        yield client


def _bank(intake: TestClient, admin: dict[str, str], *, strict: bool = False) -> dict[str, str]:
    bank = register_bank(intake, admin, "BOC-SH")
    agreement = {**AGREEMENT, "strict": strict}
    filed = intake.post("/clients/BOC-SH/agreements", json=agreement, headers=admin)
    assert filed.status_code == 201 and filed.json()["strict"] is strict, filed.text
    return bank


def _post(intake: TestClient, bank: dict[str, str], content: bytes, **form: str) -> Any:
    return intake.post(
        "/clients/BOC-SH/case-files",
        files={"file": ("委案数据20261120.csv", content, "text/csv")},
        data=form,
        headers=bank,
    )


def _report(intake: TestClient, bank: dict[str, str], batch: dict[str, Any]) -> list[list[str]]:
    answer = intake.get(batch["errors_url"], headers=bank)
    assert answer.status_code == 200
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def _counts(batch: dict[str, Any]) -> tuple[int, ...]:
    names = ("rows_total", "rows_imported", "rows_rejected", "rows_with_warnings")
    return tuple(batch[n] for n in names)


def test_a_gbk_file_extracted_three_days_before_imports_with_errors_and_warnings(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = _bank(intake, admin)
    answer = _post(intake, bank, bank_file())
    assert answer.status_code == 201, answer.text
    batch = answer.json()
    assert batch["state"] == "completed"
    assert _counts(batch) == (11, 7, 4, 5)
    assert batch["as_of"] == "2026-11-20", "from the file's 委案日期 column"

    report = _report(intake, bank, batch)
    assert report[0] == [*REPORT_HEADER, "reason"]
    assert [r[:5] for r in report[1:]] == EXPECTED_REPORT
    reasons = {(r[0], r[3]): r[5] for r in report[1:]}
    assert reasons[("6", "欠款总额")] == (
        "principal + interest + fees = 50000.00 but total owed is 99999999.99"
    )
    assert reasons[("7", "逾期天数")] == (
        "300 days past due disagrees with overdue since 2025-12-17 (338 days before 2026-11-20)"
    )
    assert reasons[("5", "证件号码")] == "wrong check digit: expected X"
    assert reasons[("10", "卡号")] == "duplicate account reference (first on line 2)"

    first = intake.get("/clients/BOC-SH/cases/6222000000000001", headers=bank).json()
    assert (first["days_past_due"], first["bucket"]) == (341, "M7+"), "ours, on the day received"
    assert first["bank_bucket"] is None
    assert first["phones"] == ["13812345678", "021-62345678"] and first["branch"] == "上海分行"
    warned = intake.get("/clients/BOC-SH/cases/6222000000000011", headers=bank).json()
    assert warned["id_number"] is None and warned["phones"] == ["13812345678"]
    assert intake.get("/clients/BOC-SH/cases/6222000000000007", headers=bank).status_code == 404
    imported = outbox_payloads(intake, "CaseImported")
    assert len(imported) == 7
    assert imported[0]["payload"]["days_past_due"] == 341


def test_strict_rejects_every_row_with_a_warning(intake: TestClient, admin: dict[str, str]) -> None:
    bank = _bank(intake, admin, strict=True)
    batch = _post(intake, bank, bank_file()).json()
    assert batch["strict"] is True
    assert _counts(batch) == (11, 2, 9, 0)
    report = _report(intake, bank, batch)
    assert [r[:5] for r in report[1:]] == [[*r[:2], "error", *r[3:]] for r in EXPECTED_REPORT]


def test_without_an_as_of_column_the_form_field_sets_the_as_of_date(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = _bank(intake, admin)
    header = HEADER.replace(",委案日期", "")
    rows = [r.replace(",2026-11-20,", ",") for r in ROWS[:2]]
    stale = _post(intake, bank, bank_file(rows, header)).json()
    assert _counts(stale) == (2, 2, 0, 2), "judged against the day received, 338 is stale"
    assert "(341 days before 2026-11-23)" in _report(intake, bank, stale)[1][5]

    rows = [r.replace("张三", "张叁").replace("李四", "李肆") for r in rows]  # other bytes
    dated = _post(intake, bank, bank_file(rows, header), as_of="2026-11-20").json()
    assert dated["as_of"] == "2026-11-20"
    assert _counts(dated) == (2, 0, 0, 0) and dated["rows_updated"] == 2
    future = _post(intake, bank, bank_file(rows[:1], header), as_of="2026-11-24")
    assert future.status_code == 422 and "after the day the file was received" in future.text
