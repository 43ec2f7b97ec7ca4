"""The rules a bank's file met: its as-of date, errors against warnings (and strict), and
a total that disagrees with its parts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.intake.case_files.parsing.mapping import MappedRow
from services.intake.case_files.parsing.rows import ERROR, WARNING
from services.intake.case_files.parsing.validation import (
    RowContext,
    as_of_problem,
    our_days_past_due,
    severity_for,
    validate_row,
)

RECEIVED = date(2026, 12, 2)  # posted on a Wednesday ...
EXTRACTED = date(2026, 11, 29)  # ... three days after the bank extracted it, across month end
HEADERS = {
    "account_ref": "卡号", "debtor_name": "客户姓名", "total_owed": "欠款总额",
    "principal": "逾期本金", "interest": "逾期利息", "fees": "滞纳金", "id_number": "证件号码",
    "mobile_phone": "手机号码", "work_phone": "单位电话", "overdue_since": "首次逾期日期",
    "days_past_due": "逾期天数", "as_of": "委案日期", "contact_phone": "联系人电话",
}  # fmt: skip


def bank_row(**changes: str) -> dict[str, str]:
    """A row as the bank extracted it on 2026-11-29: 29 days past due since 2026-10-31."""
    row = {
        "account_ref": "6222020200112233", "debtor_name": "张三", "total_owed": "50000.00",
        "principal": "48000.00", "interest": "1500.00", "fees": "500.00",
        "id_number": "11010519491231002X", "mobile_phone": "13812345678",
        "work_phone": "021-62345678", "overdue_since": "2026-10-31", "days_past_due": "29",
        "as_of": "2026-11-29",
    }  # fmt: skip
    row.update(changes)
    return row


def check(row: dict[str, str], **ctx: object):  # type: ignore[no-untyped-def]
    context = RowContext(received=RECEIVED, **ctx)  # type: ignore[arg-type]
    return validate_row(5, MappedRow(row, HEADERS), ctx=context)


# --- as-of ------------------------------------------------------------------------------


def test_a_file_extracted_three_days_before_across_a_month_end_is_clean() -> None:
    record, findings = check(bank_row())
    assert findings == []
    assert record is not None
    assert record.days_past_due == 32, "ours: from the overdue date to the day received"
    assert record.days_past_due_on == RECEIVED


def test_without_its_as_of_date_the_same_stale_figure_disagrees() -> None:
    row = bank_row()
    del row["as_of"]
    record, findings = check(row)
    [finding] = findings
    assert (finding.column, finding.severity) == ("逾期天数", WARNING)
    assert finding.reason == (
        "29 days past due disagrees with overdue since 2026-10-31 (32 days before 2026-12-02)"
    )
    assert record is not None and record.days_past_due == 32, "imported, our own figure"


def test_the_as_of_form_field_serves_a_file_without_an_as_of_column() -> None:
    row = bank_row()
    del row["as_of"]
    record, findings = check(row, as_of=EXTRACTED)
    assert findings == [] and record is not None and record.days_past_due == 32


def test_the_row_as_of_column_wins_over_the_form_field() -> None:
    _, findings = check(bank_row(), as_of=date(2026, 11, 1))
    assert findings == []


def test_dates_are_judged_against_the_as_of_date_not_the_day_received() -> None:
    record, findings = check(bank_row(overdue_since="2026-11-30", days_past_due="0"))
    assert record is None
    [finding] = findings
    assert (finding.column, finding.severity) == ("首次逾期日期", ERROR)
    assert "in the future (as of 2026-11-29)" in finding.reason


def test_an_as_of_in_the_future_is_an_error() -> None:
    record, findings = check(bank_row(as_of="2026-12-03"))
    assert record is None
    assert (findings[0].column, findings[0].severity) == ("委案日期", ERROR)
    assert "after the day the file was received (2026-12-02)" in findings[0].reason
    assert as_of_problem(date(2026, 12, 3), RECEIVED) is not None
    assert as_of_problem(RECEIVED, RECEIVED) is None


def test_an_unreadable_as_of_is_a_warning_and_the_day_received_is_used() -> None:
    record, findings = check(bank_row(as_of="下周", days_past_due="32"))
    assert [(f.column, f.severity) for f in findings] == [("委案日期", WARNING)]
    assert record is not None


def test_our_days_past_due() -> None:
    assert our_days_past_due(date(2026, 10, 31), 29, EXTRACTED, RECEIVED) == 32
    assert our_days_past_due(None, 29, EXTRACTED, RECEIVED) == 32, "the bank's figure aged"
    assert our_days_past_due(None, None, EXTRACTED, RECEIVED) is None


# --- errors and warnings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column"),
    [({"account_ref": ""}, "卡号"), ({"debtor_name": " "}, "客户姓名"),
     ({"total_owed": ""}, "欠款总额"), ({"total_owed": "-50000"}, "欠款总额"),
     ({"total_owed": "五万"}, "欠款总额"), ({"overdue_since": ""}, "首次逾期日期"),
     ({"overdue_since": "2026-13-01"}, "首次逾期日期")],
)  # fmt: skip
def test_a_case_that_cannot_be_worked_is_rejected(changes: dict[str, str], column: str) -> None:
    record, findings = check(bank_row(**changes))
    assert record is None
    assert (column, ERROR) in [(f.column, f.severity) for f in findings]


@pytest.mark.parametrize(
    ("changes", "column", "field"),
    [({"work_phone": "6234"}, "单位电话", "phones"),
     ({"contact_phone": "12345"}, "联系人电话", "contacts"),
     ({"id_number": "110105194912310021"}, "证件号码", "id_number"),
     ({"days_past_due": "300"}, "逾期天数", None),
     ({"interest": "abc", "total_owed": "48500.00"}, "逾期利息", "interest")],
)  # fmt: skip
def test_a_workable_case_imports_with_a_warning_and_the_field_left_empty(
    changes: dict[str, str], column: str, field: str | None
) -> None:
    record, findings = check(bank_row(**changes))
    assert [(f.column, f.severity) for f in findings] == [(column, WARNING)]
    assert record is not None and record.account_ref == "6222020200112233"
    if field == "phones":
        assert record.phones == ["13812345678"]
    elif field == "contacts":
        assert record.contacts == []
    elif field is not None:
        assert getattr(record, field) is None


def test_a_total_disagreeing_with_its_parts_is_a_warning_with_both_figures() -> None:
    record, findings = check(bank_row(total_owed="99,999,999.99"))
    [finding] = findings
    assert (finding.column, finding.severity) == ("欠款总额", WARNING)
    assert finding.reason == "principal + interest + fees = 50000.00 but total owed is 99999999.99"
    assert record is not None and record.total_owed == Decimal("99999999.99")


def test_a_file_with_principal_and_total_only_is_clean() -> None:
    row = bank_row()
    del row["interest"], row["fees"]
    record, findings = check(row)
    assert findings == []
    assert record is not None
    assert (record.principal, record.total_owed) == (Decimal("48000.00"), Decimal("50000.00"))


def test_strict_turns_every_warning_into_an_error() -> None:
    row = bank_row(work_phone="6234", total_owed="99999999.99", as_of="下周")
    _, lenient = check(row)
    assert {f.severity for f in lenient} == {WARNING} and len(lenient) == 4
    record, strict = check(row, strict=True)
    assert record is None
    assert [(f.column, f.severity) for f in strict] == [(f.column, ERROR) for f in lenient]


def test_severity_follows_the_field() -> None:
    for key in ("account_ref", "debtor_name", "total_owed", "overdue_since"):
        assert severity_for(key) == ERROR
    for key in ("work_phone#7", "id_number", "days_past_due", "principal", "as_of"):
        assert severity_for(key) == WARNING
        assert severity_for(key, strict=True) == ERROR
