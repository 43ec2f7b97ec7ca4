"""Reading a bank's case file: encodings, headers, amounts, dates and row errors.

Banks export these files from their own systems (often Excel on Windows), so the rules
must accept what they really send and name every problem the way the bank can find it:
the file line, the column header as the bank wrote it, the value and why it is wrong.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.intake.domain import (
    CaseRow,
    RowError,
    decode_text,
    map_headers,
    parse_case_file,
    parse_date,
    parse_money,
)

ZH_HEADER = "卡号,客户姓名,身份证号,手机号,欠款总额,首次逾期日"
EN_HEADER = "account_ref,debtor_name,id_number,phone,total_owed,overdue_since"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# --- decoding -------------------------------------------------------------------------


def test_decodes_utf8_without_bom() -> None:
    assert decode_text("卡号,姓名".encode()) == "卡号,姓名"


def test_decodes_utf8_with_bom_and_drops_the_bom() -> None:
    text = decode_text(b"\xef\xbb\xbf" + "卡号,姓名".encode())
    assert text == "卡号,姓名"
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_decodes_chinese_legacy_encodings(encoding: str) -> None:
    raw = "卡号,客户姓名\n6222,张三丰".encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the bytes really are not UTF-8, so the fallback is exercised
    assert decode_text(raw) == "卡号,客户姓名\n6222,张三丰"


def test_undecodable_bytes_are_reported_not_raised() -> None:
    parsed = parse_case_file(b"\xff\xfe\x00")
    assert parsed.rows == []
    assert len(parsed.errors) == 1
    assert "neither UTF-8 nor GB18030" in parsed.errors[0].reason


def test_bom_does_not_hide_the_first_header() -> None:
    content = b"\xef\xbb\xbf" + csv_bytes(ZH_HEADER, "A1,张三,,,100,")
    parsed = parse_case_file(content)
    assert parsed.errors == []
    assert [r.account_ref for r in parsed.rows] == ["A1"]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_legacy_encoded_file_parses_with_chinese_names(encoding: str) -> None:
    parsed = parse_case_file(csv_bytes(ZH_HEADER, "A1,张三丰,,,100,", encoding=encoding))
    assert parsed.errors == []
    assert parsed.rows[0].debtor_name == "张三丰"


def test_empty_file_is_an_error() -> None:
    parsed = parse_case_file(b"")
    assert parsed.rows == []
    assert [e.reason for e in parsed.errors] == ["file is empty"]


# --- headers --------------------------------------------------------------------------


def test_maps_chinese_headers() -> None:
    mapping, missing = map_headers(["合同号", "备注", "姓名", "证件号码", "联系电话", "逾期金额"])
    assert mapping == {
        "account_ref": 0,
        "debtor_name": 2,
        "id_number": 3,
        "phone": 4,
        "total_owed": 5,
    }
    assert missing == []


def test_maps_english_headers_ignoring_case_and_padding() -> None:
    mapping, missing = map_headers([" Account_Ref ", "NAME", "Total_Owed", "Overdue_Since"])
    assert mapping == {"account_ref": 0, "debtor_name": 1, "total_owed": 2, "overdue_since": 3}
    assert missing == []


def test_first_of_two_synonymous_headers_wins() -> None:
    mapping, _ = map_headers(["卡号", "账号", "姓名", "欠款总额"])
    assert mapping["account_ref"] == 0


def test_reports_missing_required_columns() -> None:
    _, missing = map_headers(["卡号", "手机号"])
    assert missing == ["debtor_name", "total_owed"]


def test_missing_required_columns_are_errors_on_row_1() -> None:
    parsed = parse_case_file(csv_bytes("卡号,手机号", "A1,13812345678"))
    assert parsed.rows == []
    assert parsed.errors == [
        RowError(1, "debtor_name", "", "required column missing"),
        RowError(1, "total_owed", "", "required column missing"),
    ]


# --- money ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", Decimal("1234.56")),
        ("￥1234.5", Decimal("1234.50")),
        ("¥ 12", Decimal("12.00")),
        ("12元", Decimal("12.00")),
        ("0", Decimal("0.00")),
        (" 1,000,000.00 ", Decimal("1000000.00")),
    ],
)
def test_parses_amounts_as_banks_write_them(text: str, expected: Decimal) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "shown"), [("12", "12.00"), ("￥1234.5", "1234.50"), ("7.1", "7.10"), ("3.00", "3.00")]
)
def test_amounts_are_quantized_to_cents(text: str, shown: str) -> None:
    amount = parse_money(text)
    assert amount.as_tuple().exponent == -2
    assert str(amount) == shown


@pytest.mark.parametrize("text", ["-1", "-0.01", "￥-12"])
def test_negative_amount_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_money(text)


@pytest.mark.parametrize("text", ["1.234", "0.001", "12.345元"])
def test_three_decimal_places_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="2 decimal places"):
        parse_money(text)


@pytest.mark.parametrize("text", ["abc", "", "12.3.4", "NaN", "Infinity", "十二元", "1-2"])
def test_garbage_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_money(text)


def test_misplaced_thousands_separator_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_money("1,5")


def test_scientific_notation_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_money("1.23457E+11")


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-11-01", "2026/11/1", "2026/11/01", "20261101"])
def test_parses_the_date_formats_banks_use(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 1)


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "01/11/2026", "soon", ""])
def test_invalid_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


# --- whole files ----------------------------------------------------------------------


def test_valid_file_gives_case_rows_with_decimal_amounts() -> None:
    parsed = parse_case_file(
        csv_bytes(
            ZH_HEADER,
            '6222000011112222,张三丰,11010519491231002X,13812345678,"1,234.56",2026/11/1',
            "6222000011113333,李四,,,￥88,",
        )
    )
    assert parsed.errors == []
    first, second = parsed.rows
    assert first == CaseRow(
        row=2,
        account_ref="6222000011112222",
        debtor_name="张三丰",
        id_number="11010519491231002X",
        phone="13812345678",
        total_owed=Decimal("1234.56"),
        overdue_since=date(2026, 11, 1),
    )
    assert isinstance(first.total_owed, Decimal)
    assert second.row == 3
    assert second.total_owed == Decimal("88.00")
    assert second.id_number is None
    assert second.phone is None
    assert second.overdue_since is None


def test_english_header_file_parses() -> None:
    parsed = parse_case_file(csv_bytes(EN_HEADER, "A1,Li Si,,,12.5,20261101"))
    assert parsed.errors == []
    assert parsed.rows[0].total_owed == Decimal("12.50")
    assert parsed.rows[0].overdue_since == date(2026, 11, 1)


def test_blank_lines_are_skipped_and_do_not_shift_row_numbers() -> None:
    parsed = parse_case_file(
        csv_bytes(ZH_HEADER, "A1,张三,,,1,", "", ",,,,,", "   ", "A2,李四,,,oops,")
    )
    assert [r.account_ref for r in parsed.rows] == ["A1"]
    assert parsed.errors == [RowError(6, "欠款总额", "oops", "not an amount")]


def test_errors_name_file_line_bank_header_value_and_reason() -> None:
    parsed = parse_case_file(
        csv_bytes(
            "借据号,姓名,欠款金额,逾期日期",
            ",王五,10,2026-11-01",
            "B2,赵六,12.345,2026-11-01",
            "B3,钱七,10,2026-02-30",
            "B4,孙八,10,2026-11-01",
        )
    )
    assert [r.account_ref for r in parsed.rows] == ["B4"]
    assert [e.as_dict() for e in parsed.errors] == [
        {"row": 2, "column": "借据号", "value": "", "reason": "required value missing"},
        {"row": 3, "column": "欠款金额", "value": "12.345", "reason": "more than 2 decimal places"},
        {
            "row": 4,
            "column": "逾期日期",
            "value": "2026-02-30",
            "reason": "not a date (use YYYY-MM-DD)",
        },
    ]


def test_short_row_reports_each_missing_required_value() -> None:
    parsed = parse_case_file(csv_bytes("Account_Ref,Name,Total_Owed", "C1"))
    assert parsed.rows == []
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (2, "Name", "required value missing"),
        (2, "Total_Owed", "required value missing"),
    ]


def test_duplicate_account_ref_is_reported_with_both_rows() -> None:
    parsed = parse_case_file(
        csv_bytes(ZH_HEADER, "A1,张三,,,1,", "A2,李四,,,2,", " A1 ,王五,,,3,", "A1,赵六,,,4,")
    )
    assert [(r.account_ref, r.debtor_name) for r in parsed.rows] == [("A1", "张三"), ("A2", "李四")]
    assert [(e.row, e.column, e.value) for e in parsed.errors] == [
        (4, "卡号", "A1"),
        (5, "卡号", "A1"),
    ]
    for error in parsed.errors:
        assert "duplicate" in error.reason
        assert "row 2" in error.reason
