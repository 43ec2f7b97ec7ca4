"""A whole row: a case row and every finding with its line, the bank's column, value,
reason and severity; a file read, mapped and validated end to end."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from services.intake.case_files.parsing.mapping import MappedRow, mapped_rows, resolve_headers
from services.intake.case_files.parsing.readers import open_rows
from services.intake.case_files.parsing.rows import CaseRow
from services.intake.case_files.parsing.rows import Finding as RowError
from services.intake.case_files.parsing.validation import RowContext, validate_row

TODAY = date(2026, 11, 15)
CTX = RowContext(received=TODAY)
HEADERS = {
    "account_ref": "卡号", "debtor_name": "客户姓名", "total_owed": "欠款总额",
    "principal": "本金", "interest": "利息", "penalty": "违约金", "fees": "滞纳金",
    "overdue_since": "首次逾期日", "days_past_due": "逾期天数", "id_number": "身份证号",
    "id_type": "证件类型", "mobile_phone": "手机号", "home_phone": "家庭电话",
    "guarantor_id_number": "担保人证件号码", "contact_phone": "联系人电话", "bucket": "账龄",
}  # fmt: skip


def check(line: int, raw: dict[str, str | list[str]], headers: dict[str, str] = HEADERS):  # type: ignore[no-untyped-def]
    return validate_row(line, MappedRow(raw, headers), ctx=CTX)  # type: ignore[arg-type]


def good_row(**changes: str | list[str]) -> dict[str, str | list[str]]:
    row: dict[str, str | list[str]] = {
        "account_ref": "6222000011112222", "debtor_name": " 张三 ", "total_owed": "¥1,113.00",
        "principal": "1000", "interest": "100", "penalty": "10", "fees": "3",
        "overdue_since": "2026/11/1", "days_past_due": "14", "id_number": "11010519491231002x",
        "mobile_phone": "+86 138-1234-5678", "home_phone": "010-12345678,13812345678",
        "home_address": "北京市朝阳区某路1号", "bank_notes": "",
    }  # fmt: skip
    row.update(changes)
    return row


def test_a_good_row_becomes_a_typed_record() -> None:
    record, errors = check(2, good_row(), HEADERS)
    assert errors == []
    assert record == CaseRow(
        line=2, account_ref="6222000011112222", debtor_name="张三", total_owed=Decimal("1113.00"),
        id_type="resident_id", id_number="11010519491231002X",
        phones=["13812345678", "010-12345678"],
        home_address="北京市朝阳区某路1号", principal=Decimal("1000.00"),
        interest=Decimal("100.00"), penalty=Decimal("10.00"), fees=Decimal("3.00"),
        overdue_since=date(2026, 11, 1), days_past_due=14, days_past_due_on=TODAY,
    )  # fmt: skip


def test_findings_name_row_bank_column_value_reason_and_severity() -> None:
    raw = good_row(total_owed="-5", id_number="110105194912310021", mobile_phone="010-12345678")
    record, errors = check(7, raw, HEADERS)
    assert record is None
    assert RowError(7, "欠款总额", "-5", "amount is negative", "error") in errors
    assert (
        RowError(7, "身份证号", "110105194912310021", "wrong check digit: expected X", "warning")
        in errors
    )
    assert any(e.column == "手机号" and e.severity == "warning" for e in errors)
    assert errors[0].as_dict()["row"] == 7


def test_required_fields_missing_are_each_reported() -> None:
    raw = good_row(account_ref=" ", debtor_name="")
    del raw["total_owed"]
    headers = {k: v for k, v in HEADERS.items() if k != "total_owed"}
    record, errors = check(3, raw, headers)
    assert record is None
    assert [(e.column, e.reason) for e in errors] == [
        ("卡号", "required value missing"),
        ("客户姓名", "required value missing"),
        ("total_owed", "required value missing"),  # no such column: our field name
    ]


def test_total_that_does_not_add_up_is_a_warning_on_the_total() -> None:
    record, errors = check(2, good_row(total_owed="1200"), HEADERS)
    assert errors == [
        RowError(2, "欠款总额", "1200",
                 "principal + interest + penalty + fees = 1113.00 but total owed is 1200.00",
                 "warning"),
    ]  # fmt: skip
    assert record is not None and record.total_owed == Decimal("1200.00")


def test_days_past_due_disagreeing_is_a_warning_and_ours_is_kept() -> None:
    record, errors = check(2, good_row(days_past_due="40"), HEADERS)
    assert [(e.column, e.value, e.severity) for e in errors] == [("逾期天数", "40", "warning")]
    assert record is not None and record.days_past_due == 14


def test_the_banks_bucket_label_is_kept_as_sent_and_days_are_ours() -> None:
    record, _ = check(2, good_row(bucket="M3"), HEADERS)
    assert record is not None and record.bucket == "M3" and record.days_past_due == 14
    record, _ = check(2, good_row(days_past_due="", overdue_since="2026-08-01"))
    assert record is not None and record.bucket is None and record.days_past_due == 106
    assert record.days_past_due_on == TODAY


def test_legacy_id_number_follows_the_id_type() -> None:
    record, errors = check(2, good_row(id_number="110105491231002"), HEADERS)
    assert [(e.column, e.severity) for e in errors] == [("身份证号", "warning")]
    assert record is not None and record.id_number is None  # imported, the ID left empty
    record, errors = check(2, good_row(id_number="110105491231002", id_type="一代身份证"))
    assert errors == [] and record is not None and record.id_number == "110105491231002"


def test_guarantor_and_contact_are_validated_too() -> None:
    raw = good_row(guarantor_id_number="123", contact_phone="12345")
    record, errors = check(2, raw, HEADERS)
    assert [e.column for e in errors] == ["担保人证件号码", "联系人电话"]
    assert record is not None and record.contacts == [], "both left empty"


def test_phones_as_a_list_from_json_lines() -> None:
    raw = good_row(mobile_phone=["13812345678", "13912345678"])
    record, errors = check(2, raw, HEADERS)
    assert errors == []
    assert record is not None
    assert record.phones == ["13812345678", "13912345678", "010-12345678"]


def test_overlong_text_is_refused() -> None:
    record, errors = check(2, good_row(debtor_name="张" * 101), HEADERS)
    assert [(e.reason, e.severity) for e in errors] == [("longer than 100 characters", "error")]
    assert record is None
    record, errors = check(2, good_row(home_address="路" * 501), HEADERS)
    assert [(e.reason, e.severity) for e in errors] == [("longer than 500 characters", "warning")]
    assert record is not None and record.home_address is None


def test_extra_cells_beyond_the_headers_are_an_error() -> None:
    header_map = resolve_headers(["卡号", "姓名", "欠款总额"])
    record, errors = validate_row(2, header_map.extract(["A1", "张三", "1", "234.56"]), ctx=CTX)
    assert record is None
    assert errors[0].value == "234.56" and "unquoted commas" in errors[0].reason


def test_a_gbk_file_read_mapped_and_validated() -> None:
    lines = [
        "卡号,客户姓名,身份证号,手机号,单位电话,本金,利息,欠款总额,首次逾期日,逾期天数",
        'A1,张三,11010519491231002X,13812345678,0755-1234567,1000,13.5,"1,013.50",46327,14',
        "A2,李四,110105194912310021,12345,,,,-1,2026-13-01,x",
        "A1,王五,,,,,,100,,",
    ]
    source = open_rows(io.BytesIO("\r\n".join(lines).encode("gbk")), "cases.csv")
    records, errors = [], []
    for row_number, header_map, mapped in mapped_rows(source):
        assert header_map.missing_required == []
        record, row_errors = validate_row(row_number, mapped, ctx=CTX)
        errors += row_errors
        if record:
            records.append(record)
    assert [(r.line, r.account_ref, r.total_owed, r.overdue_since) for r in records] == [
        (2, "A1", Decimal("1013.50"), date(2026, 11, 1))
    ]
    assert records[0].phones == ["13812345678", "0755-1234567"]
    assert {(e.row, e.column) for e in errors} == {
        (3, "身份证号"), (3, "手机号"), (3, "欠款总额"), (3, "首次逾期日"), (3, "逾期天数"),
        (4, "首次逾期日"),  # the repeated 卡号 is the file reader's to find (test_file)
    }  # fmt: skip
