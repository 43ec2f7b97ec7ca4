"""Each validation rule on its own: what a bank may send, and what it is told when the
value cannot be accepted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.intake.case_files.parsing.validation import check_days_agree, check_total
from services.intake.case_files.parsing.values import (
    excel_serial_date,
    id_check_digit,
    id_type_kind,
    parse_account_ref,
    parse_amount,
    parse_date,
    parse_days_past_due,
    parse_id_number,
    parse_phone,
    split_phones,
)

TODAY = date(2026, 11, 15)

# --- amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1,234.56", "1234.56"), ("￥1234.5", "1234.50"), ("¥ 12", "12.00"), ("12元", "12.00"),
     ("１２３４．５６", "1234.56"), ("１，２３４．５", "1234.50"), ("1，234", "1234.00"),
     ("0", "0.00"), (" 1234 ", "1234.00"), ("1234.500", "1234.50"), ("RMB 99.9", "99.90"),
     ("1,234,567.01", "1234567.01"), ("12.3元", "12.30")],
)  # fmt: skip
def test_amounts_accepted(text: str, amount: str) -> None:
    value = parse_amount(text)
    assert value == Decimal(amount)
    assert value.as_tuple().exponent == -2  # quantized to fen


@pytest.mark.parametrize(
    ("text", "reason"),
    [("-12", "negative"), ("－12.50", "negative"), ("(12)", "negative"), ("¥-5", "negative"),
     ("12.345", "more than 2 decimal"), ("1.2E3", "exponent"), ("1e5", "exponent"),
     ("1,23", "thousands separator"), ("12,34.5", "thousands separator"),
     ("1234,567", "thousands separator"), ("abc", "not an amount"), ("", "not an amount"),
     ("12.", "not an amount"), (".5", "not an amount"), ("1.2.3", "not an amount"),
     ("NaN", "not an amount"), ("USD 5", "not an amount")],
)  # fmt: skip
def test_amounts_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_amount(text)


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-11-01", date(2026, 11, 1)), ("2026/11/1", date(2026, 11, 1)),
     ("2026.11.01", date(2026, 11, 1)), ("20261101", date(2026, 11, 1)),
     ("2026年11月1日", date(2026, 11, 1)), ("２０２６年１１月１日", date(2026, 11, 1)),
     ("2026-11-01 00:00:00", date(2026, 11, 1)), ("2026/11/1 9:30", date(2026, 11, 1)),
     ("46327", date(2026, 11, 1)), ("46326", date(2026, 10, 31)), ("44927", date(2023, 1, 1)),
     ("46327.75", date(2026, 11, 1)), ("2026-11-15", TODAY), ("1950-01-01", date(1950, 1, 1))],
)  # fmt: skip
def test_dates_accepted(text: str, day: date) -> None:
    assert parse_date(text, today=TODAY) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2026-11-16", "in the future"), ("46342", "in the future"), ("1949-12-31", "before 1950"),
     ("60", "does not exist"), ("100", "before 1950"), ("2026-02-30", "no such day"),
     ("20261301", "no such day"), ("2026-11/01", "not a date"), ("11/01/2026", "not a date"),
     ("yesterday", "not a date"), ("0", "not an Excel date")],
)  # fmt: skip
def test_dates_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text, today=TODAY)


def test_excel_serials_follow_the_1900_leap_year_bug() -> None:
    assert excel_serial_date(1) == date(1900, 1, 1)
    assert excel_serial_date(59) == date(1900, 2, 28)
    assert excel_serial_date(61) == date(1900, 3, 1)
    assert excel_serial_date(45292) == date(2024, 1, 1)
    with pytest.raises(ValueError, match="1900-02-29"):
        excel_serial_date(60)


def test_the_clock_is_a_parameter() -> None:
    assert parse_date("2027-01-01", today=date(2027, 1, 1)) == date(2027, 1, 1)
    with pytest.raises(ValueError, match="future"):
        parse_date("2027-01-01", today=date(2026, 12, 31))


# --- days past due, bucket, agreement, totals -----------------------------------------


@pytest.mark.parametrize(("text", "days"), [("0", 0), ("35", 35), ("35天", 35), ("３５", 35)])
def test_days_past_due_accepted(text: str, days: int) -> None:
    assert parse_days_past_due(text) == days


@pytest.mark.parametrize(
    ("text", "reason"),
    [("-3", "negative"), ("3.5", "whole number"), ("abc", "whole number"), ("1e3", "whole")],
)
def test_days_past_due_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_days_past_due(text)


@pytest.mark.parametrize("days", [13, 14, 15])
def test_days_agree_with_overdue_since_within_one_day(days: int) -> None:
    assert check_days_agree(date(2026, 11, 1), days, TODAY) is None


@pytest.mark.parametrize("days", [12, 16, 0])
def test_days_disagreeing_with_overdue_since_are_named(days: int) -> None:
    problem = check_days_agree(date(2026, 11, 1), days, TODAY)
    assert problem is not None
    assert f"{days} days past due" in problem
    assert "2026-11-01 (14 days before 2026-11-15)" in problem


def amounts(p: str | None, i: str | None, pe: str | None, f: str | None) -> dict:
    values = {"principal": p, "interest": i, "penalty": pe, "fees": f}
    return {k: None if v is None else Decimal(v) for k, v in values.items()}


def test_total_equal_to_all_parts_is_accepted() -> None:
    assert check_total(amounts("100.00", "10.50", "2.00", "0.50"), Decimal("113.00")) is None


def test_total_not_equal_to_all_parts_names_both_values() -> None:
    problem = check_total(amounts("100.00", "10.50", "2.00", "0.50"), Decimal("120.00"))
    assert problem == "principal + interest + penalty + fees = 113.00 but total owed is 120.00"


def test_the_parts_given_must_add_up_to_the_total() -> None:
    assert check_total(amounts("100.00", "10.00", None, None), Decimal("110.00")) is None
    assert check_total(amounts("100.00", "10.00", None, None), Decimal("105.00")) == (
        "principal + interest = 110.00 but total owed is 105.00"
    )
    assert check_total(amounts(None, None, None, None), Decimal("1.00")) is None


def test_a_principal_alone_may_be_less_than_the_total_but_not_more() -> None:
    """A file with 本金 and 应收合计 but no interest or fee columns: the rest is unexplained."""
    assert check_total(amounts("20000.00", None, None, None), Decimal("21380.50")) is None
    assert check_total(amounts("20000.00", None, None, None), Decimal("20000.00")) is None
    assert check_total(amounts("20000.00", None, None, None), Decimal("19999.99")) == (
        "principal = 20000.00 exceeds total owed 19999.99"
    )
    assert check_total(amounts(None, None, None, "30.00"), Decimal("20.00")) == (
        "fees = 30.00 exceeds total owed 20.00"
    )


def test_a_total_far_above_its_parts_names_both_figures() -> None:
    """The bank's file: 欠款总额 99,999,999.99 while 逾期本金 + 逾期利息 + 滞纳金 is ~50,000."""
    parts = amounts("48000.00", "1500.00", None, "500.00")
    assert check_total(parts, Decimal("99999999.99")) == (
        "principal + interest + fees = 50000.00 but total owed is 99999999.99"
    )


# --- ID numbers -----------------------------------------------------------------------

VALID_ID = "11010519491231002X"  # the example of GB 11643-1999


@pytest.mark.parametrize(
    ("first17", "check"),
    [("11010519491231002", "X"), ("44030419900307123", "X"), ("32010219850101001", "2")],
)
def test_check_digit(first17: str, check: str) -> None:
    assert id_check_digit(first17) == check


@pytest.mark.parametrize(
    ("text", "normalised"),
    [(VALID_ID, VALID_ID), ("11010519491231002x", VALID_ID),
     (" 320102198501010012 ", "320102198501010012"),
     ("110105200002291235", "110105200002291235"),
     ("１１０１０５１９４９１２３１００２Ｘ", VALID_ID)],
)  # fmt: skip
def test_resident_ids_accepted(text: str, normalised: str) -> None:
    assert parse_id_number(text, today=TODAY) == normalised


@pytest.mark.parametrize(
    ("text", "reason"),
    [("110105194912310021", "wrong check digit: expected X"),
     ("110105199902301234", "no real day"), ("110105203001011234", "in the future"),
     ("110105180001011234", "implausible"), ("11010519491231002", "not an 18-digit"),
     ("1101051949123100XX", "not an 18-digit"), ("1.10105E+17", "scientific notation"),
     ("110105491231002", "15-digit first-generation ID number is accepted only when")],
)  # fmt: skip
def test_resident_ids_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_id_number(text, today=TODAY)


def test_legacy_15_digit_id_only_when_the_type_says_so() -> None:
    assert parse_id_number("110105491231002", today=TODAY, kind="legacy") == "110105491231002"
    with pytest.raises(ValueError, match="no real day"):
        parse_id_number("110105491331002", today=TODAY, kind="legacy")


@pytest.mark.parametrize(
    ("id_type", "kind"),
    [(None, "resident"), ("", "resident"), ("身份证", "resident"), ("居民身份证", "resident"),
     ("ID card", "resident"), ("一代身份证", "legacy"), ("15位身份证", "legacy"),
     ("旧身份证", "legacy"), ("护照", "other"), ("港澳居民来往内地通行证", "other"),
     ("passport", "other")],
)  # fmt: skip
def test_id_type_kind(id_type: str | None, kind: str) -> None:
    assert id_type_kind(id_type) == kind


def test_other_documents_are_checked_for_shape_only() -> None:
    assert parse_id_number("e12345678", today=TODAY, kind="other") == "E12345678"
    with pytest.raises(ValueError, match="document number"):
        parse_id_number("护照号", today=TODAY, kind="other")


# --- phones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["13812345678", "+86 138 1234 5678", "+86-138-1234-5678", "8613812345678",
     "008613812345678", "138-1234-5678", "１３８１２３４５６７８"],
)  # fmt: skip
def test_mobiles_accepted(text: str) -> None:
    assert parse_phone(text, mobile_only=True) == "13812345678"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("12812345678", "not a mainland mobile"), ("1381234567", "not a mainland mobile"),
     ("138123456789", "not a mainland mobile"), ("010-12345678", "not a mainland mobile"),
     ("abc", "not a phone number"), ("+1 415 555 0100", "not a phone number")],
)  # fmt: skip
def test_mobiles_rejected_in_mobile_columns(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_phone(text, mobile_only=True)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [("010-12345678", "010-12345678"), ("01012345678", "010-12345678"),
     ("(0755)1234567", "0755-1234567"), ("0571 8765 4321", "0571-87654321"),
     ("+86 10 12345678", "010-12345678"), ("021-62345678转123", "021-62345678-123"),
     ("13812345678", "13812345678")],
)  # fmt: skip
def test_landlines_accepted_in_other_columns(text: str, normalised: str) -> None:
    assert parse_phone(text) == normalised


@pytest.mark.parametrize(
    ("text", "reason"),
    [("12345678", "area code"), ("010-1234", "not a landline"), ("010-01234567", "not a landline"),
     ("4008123456", "area code")],
)  # fmt: skip
def test_landlines_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_phone(text)


def test_one_cell_may_list_several_numbers() -> None:
    assert split_phones("13812345678，13912345678/010-12345678; ") == [
        "13812345678", "13912345678", "010-12345678",
    ]  # fmt: skip


# --- account references ---------------------------------------------------------------


def test_account_ref_as_sent_but_not_excel_mangled() -> None:
    assert parse_account_ref("6222000011112222333") == "6222000011112222333"
    with pytest.raises(ValueError, match="scientific notation"):
        parse_account_ref("6.22848E+18")
    with pytest.raises(ValueError, match="at most 64"):
        parse_account_ref("A" * 65)
