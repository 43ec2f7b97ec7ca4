"""Case files end to end in one service: modes, idempotency, events, error report,
archive retrieval, background import and the 2-hour entry clock."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.intake.main import create_app
from tests.intake.conftest import (
    case_file,
    intake_settings,
    outbox_payloads,
    outbox_types,
    post_file,
    register_bank,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ID_OK = "110101199003077571"
HEADER = "卡号,姓名,欠款总额,本金,利息,手机号,身份证号,家庭地址,担保人,担保人电话\n"


def rows_file(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def good(ref: str, total: str = "150.00", address: str = "上海市浦东新区一路1号") -> str:
    return f'{ref},张三,"{total}",100,50,13800138000,{ID_OK},{address},李四,13900139000'


def test_valid_rows_import_and_invalid_rows_are_reported(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    content = rows_file(
        good("A-1"),
        "A-2,,-5,,,13800138000,,,,",
        "A-3,王五,=1+2,,,,,,,",
        good("A-1"),
        good("A-4", total="99"),
    )
    answer = post_file(intake, "ICBC-SH", content, bank)
    assert answer.status_code == 201, answer.text
    batch = answer.json()
    assert batch["state"] == "completed"
    counts = ("rows_total", "rows_imported", "rows_rejected", "rows_with_warnings")
    assert tuple(batch[c] for c in counts) == (5, 2, 3, 1)
    assert batch["progress"] == 1.0 and batch["entry_overdue"] is False

    case = intake.get("/clients/ICBC-SH/cases/A-1", headers=bank).json()
    amounts = (case["principal"], case["interest"], case["total_owed"])
    assert amounts == ("100.00", "50.00", "150.00")
    assert case["contacts"][0]["name"] == "李四" and case["contacts"][0]["relation"] == "guarantor"
    assert intake.get("/clients/ICBC-SH/cases/A-2", headers=bank).status_code == 404

    report = intake.get(batch["errors_url"], headers=bank)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    assert report.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["line (header = line 1)", "severity", "column", "value", "reason"]
    by_row = {}
    for row, severity, column, value, reason in lines[1:]:
        by_row.setdefault(int(row), []).append((severity, column, value, reason))
    assert set(by_row) == {3, 4, 5, 6}
    assert ("error", "姓名", "", "required value missing") in by_row[3]
    assert any(v == "-5" for _s, _c, v, _r in by_row[3]), "a plain number stays a number"
    assert any(v == "'=1+2" for _s, _c, v, _r in by_row[4]), "a formula is neutralised"
    assert "duplicate" in by_row[5][0][3] and by_row[5][0][:2] == ("error", "卡号")
    assert by_row[6] == [
        ("warning", "欠款总额", "99", "principal + interest = 150.00 but total owed is 99.00")
    ]
    assert outbox_types(intake).count("CaseImported") == 2
    assert outbox_types(intake).count("ImportCompleted") == 1


def test_all_or_nothing_imports_nothing_when_a_row_is_invalid(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    content = rows_file(good("A-1"), "A-2,,-5,,,,,,,")
    answer = intake.post(
        "/clients/ICBC-SH/case-files",
        files={"file": ("c.csv", content, "text/csv")},
        data={"all_or_nothing": "true"},
        headers=bank,
    )
    assert answer.status_code == 422, answer.text
    problems = {(e["row"], e["column"]) for e in answer.json()["errors"]}
    assert problems == {(3, "姓名"), (3, "欠款总额")}
    batch_url = answer.headers["location"]
    batch = intake.get(batch_url, headers=bank).json()
    assert batch["state"] == "failed" and batch["rows_imported"] == 0
    assert intake.get("/clients/ICBC-SH/cases/A-1", headers=bank).status_code == 404
    assert "CaseImported" not in outbox_types(intake)
    # the same bytes may be posted again after a failed all-or-nothing run
    again = post_file(intake, "ICBC-SH", content, bank)
    assert again.status_code == 201 and again.json()["rows_imported"] == 1

    clean = intake.post(
        "/clients/ICBC-SH/case-files",
        files={"file": ("d.csv", rows_file(good("B-1"), good("B-2")), "text/csv")},
        data={"all_or_nothing": "true"},
        headers=bank,
    )
    assert clean.status_code == 201 and clean.json()["rows_imported"] == 2


def test_same_file_twice_and_idempotency_keys(intake: TestClient, admin: dict[str, str]) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    content = rows_file(good("A-1"), good("A-2"))
    first = post_file(intake, "ICBC-SH", content, bank)
    second = post_file(intake, "ICBC-SH", content, bank, name="renamed.csv")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert outbox_types(intake).count("CaseImported") == 2

    keyed = {**bank, "Idempotency-Key": "upload-42"}
    other = rows_file(good("B-1"))
    one = post_file(intake, "ICBC-SH", other, keyed)
    two = post_file(intake, "ICBC-SH", other, keyed)
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["id"] == two.json()["id"]
    reused = post_file(intake, "ICBC-SH", rows_file(good("C-1")), keyed)
    assert reused.status_code == 409 and "Idempotency-Key" in reused.json()["detail"]
    assert intake.get("/clients/ICBC-SH/cases/C-1", headers=bank).status_code == 404
    assert outbox_types(intake).count("CaseImported") == 3


def test_a_later_file_updates_the_case_with_one_case_updated(
    intake: TestClient, admin: dict[str, str]
) -> None:
    bank = register_bank(intake, admin, "ICBC-SH")
    post_file(intake, "ICBC-SH", rows_file(good("A-1"), good("A-2")), bank)
    later = rows_file(good("A-1", total="160.00").replace(",100,50,", ",100,60,"), good("A-2"))
    answer = post_file(intake, "ICBC-SH", later, bank)
    assert answer.status_code == 201, answer.text
    batch = answer.json()
    assert (batch["rows_imported"], batch["rows_updated"], batch["rows_unchanged"]) == (0, 1, 1)
    [updated] = outbox_payloads(intake, "CaseUpdated")
    assert updated["payload"]["account_ref"] == "A-1"
    assert updated["payload"]["changes"] == {
        "interest": ["50.00", "60.00"],
        "total_owed": ["150.00", "160.00"],
    }
    assert updated["payload"]["debt"]["total_owed"] == "160.00"
    assert outbox_types(intake).count("CaseImported") == 2


def test_the_raw_file_comes_back_byte_exact_even_from_the_backup(
    intake: TestClient, admin: dict[str, str], token_for
) -> None:  # type: ignore[no-untyped-def]
    bank = register_bank(intake, admin, "ICBC-SH")
    content = b"\xef\xbb\xbf" + rows_file(good("A-1"))
    batch = post_file(intake, "ICBC-SH", content, bank, name="案件.csv").json()
    url = f"/clients/ICBC-SH/case-files/{batch['id']}/raw"
    raw = intake.get(url, headers=admin)
    assert raw.status_code == 200 and raw.content == content
    assert raw.headers["x-content-sha256"] == batch["sha256"]
    assert intake.get(url, headers=bank).status_code == 403  # admins only

    settings = intake.app.state.runtime.settings  # type: ignore[attr-defined]
    primary, backup = settings.archive_dirs
    [stored] = list(primary.rglob(f"{batch['sha256']}.bin"))
    stored.write_bytes(b"tampered")
    assert intake.get(url, headers=admin).content == content
    stored.unlink()
    assert intake.get(url, headers=admin).content == content
    [copy] = list(backup.rglob(f"{batch['sha256']}.bin"))
    copy.unlink()
    assert intake.get(url, headers=admin).status_code == 503


def test_another_bank_gets_404_on_every_case_file_route(
    intake: TestClient, admin: dict[str, str]
) -> None:
    first = register_bank(intake, admin, "ICBC-SH")
    second = register_bank(intake, admin, "CMB-BJ")
    batch = post_file(intake, "ICBC-SH", rows_file(good("A-1"), "A-2,,,,,,,,,"), first).json()
    base = f"/clients/ICBC-SH/case-files/{batch['id']}"
    for answer in (
        post_file(intake, "ICBC-SH", rows_file(good("X-1")), second),
        intake.get(base, headers=second),
        intake.get(f"{base}/errors.csv", headers=second),
        intake.get(f"/clients/CMB-BJ/case-files/{batch['id']}", headers=second),
        intake.get(f"/clients/CMB-BJ/case-files/{batch['id']}/errors.csv", headers=second),
    ):
        assert answer.status_code == 404, answer.text
        assert "张三" not in answer.text


class SteppingClock:
    """Each reading is ``step`` later than the one before: a slow import, made visible."""

    def __init__(self, start: datetime, step: timedelta) -> None:
        self.now, self.step = start, step

    def __call__(self) -> datetime:
        moment = self.now
        self.now += self.step
        return moment


def _intake_with(clock, database_url: str, tmp_path: Path, key_dir: Path, **extra):  # type: ignore[no-untyped-def]
    import time

    app = create_app(intake_settings(database_url, tmp_path, key_dir, **extra), clock=clock)
    client = TestClient(app)
    client.__enter__()
    while not app.state.runtime.migrated:
        time.sleep(0.02)
    return client


@pytest.fixture
def clocked(
    database_url: str, tmp_path: Path, key_dir: Path, signing_key: Ed25519PrivateKey
) -> Iterator[tuple[TestClient, SteppingClock]]:
    clock = SteppingClock(T0, timedelta(0))
    client = _intake_with(clock, database_url, tmp_path, key_dir)
    yield client, clock
    client.__exit__(None, None, None)


def test_the_two_hour_clock_reads_the_runtime_clock(
    clocked: tuple[TestClient, SteppingClock], admin: dict[str, str]
) -> None:
    intake, clock = clocked
    bank = register_bank(intake, admin, "ICBC-SH")
    quick = post_file(intake, "ICBC-SH", rows_file(good("A-1")), bank).json()
    assert quick["received_at"].startswith("2026-11-02T09:00:00")
    assert quick["entry_seconds"] == 0 and quick["entry_overdue"] is False

    clock.step = timedelta(minutes=40)  # every clock reading 40 minutes on
    slow = post_file(intake, "ICBC-SH", rows_file(good("B-1"), good("B-2")), bank).json()
    assert slow["entry_seconds"] > 2 * 3600 and slow["entry_overdue"] is True
    [_, completed] = outbox_payloads(intake, "ImportCompleted")
    assert completed["payload"]["entry_overdue"] is True
    assert completed["payload"]["batch_id"] == slow["id"]


def test_a_large_file_answers_202_and_imports_in_the_background(
    database_url: str,
    tmp_path: Path,
    key_dir: Path,
    signing_key: Ed25519PrivateKey,
    admin: dict[str, str],
) -> None:
    intake = _intake_with(lambda: T0, database_url, tmp_path, key_dir, sync_max_bytes=0)
    try:
        bank = register_bank(intake, admin, "ICBC-SH")
        answer = post_file(intake, "ICBC-SH", case_file(("A-1", "张三", "10")), bank)
        assert answer.status_code == 202, answer.text
        assert answer.headers["location"] == answer.json()["url"]
        assert answer.json()["state"] == "received"
        batch = intake.get(answer.headers["location"], headers=bank).json()
        assert batch["state"] == "completed" and batch["rows_imported"] == 1
    finally:
        intake.__exit__(None, None, None)


def test_xlsx_and_json_lines_files_import(intake: TestClient, admin: dict[str, str]) -> None:
    import openpyxl

    bank = register_bank(intake, admin, "ICBC-SH")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["卡号", "姓名", "欠款总额"])
    sheet.append(["X-1", "张三", 12.5])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = post_file(intake, "ICBC-SH", buffer.getvalue(), bank, name="cases.bin")
    assert xlsx.status_code == 201 and xlsx.json()["rows_imported"] == 1, xlsx.text
    jsonl = '{"account_ref": "J-1", "debtor_name": "李四", "total_owed": "7"}\n'.encode()
    answer = post_file(intake, "ICBC-SH", jsonl, bank, name="cases.txt")
    assert answer.status_code == 201 and answer.json()["rows_imported"] == 1, answer.text
    assert intake.get("/clients/ICBC-SH/cases/X-1", headers=bank).json()["total_owed"] == "12.50"
