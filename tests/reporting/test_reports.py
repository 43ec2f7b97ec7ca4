"""Every report of the October scenario against figures worked out by hand (scenario.py)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from shared.events.catalog import ApprovalRequested
from tests.reporting.conftest import BANK_A, BANK_B, C1, MANAGER_B1, MANAGER_B2, Desk
from tests.reporting.scenario import cst

OCTOBER = {"period": "month", "on": "2026-10-15"}


def _by_collector(report: dict) -> dict[str, dict]:
    return {row["collector_id"]: row for row in report["sections"][0]["rows"]}


def test_collectors_month_splits_a_reassigned_case_and_counts_the_2359_payment(
    desk: Desk,
) -> None:
    rows = _by_collector(desk.json("/reports/collectors/progress", **OCTOBER))
    c1, c2, c3 = rows["c-1"], rows["c-2"], rows["c-3"]
    # c-1: A 300 + A 200 (10-31 23:59) + B 150.50 before the handover on 10-15
    assert c1["recovered"] == "650.50"
    assert (c1["cases_worked"], c1["calls"], c1["sms"], c1["letters"]) == (2, 2, 1, 1)
    assert (c1["right_party_contacts"], c1["promises_made"], c1["promises_broken"]) == (1, 1, 1)
    # c-2: B 249.50 after the handover; one fax, a promise made and kept, one extension
    assert c2["recovered"] == "249.50"
    assert (c2["calls"], c2["faxes"], c2["promises_kept"], c2["extension_requests"]) == (1, 1, 1, 1)
    assert c3["recovered"] == "0.00" and c3["right_party_contacts"] == 0
    assert c1["name"] == "王芳"


def test_the_minute_after_midnight_falls_in_november(desk: Desk) -> None:
    rows = _by_collector(desk.json("/reports/collectors/progress", period="month", on="2026-11-02"))
    assert rows["c-1"]["recovered"] == "100.00"
    assert rows["c-2"]["recovered"] == "0.00"


def test_a_week_runs_saturday_to_friday(desk: Desk) -> None:
    report = desk.json("/reports/collectors/progress", period="week", on="2026-11-04")
    assert report["period"] == "2026-10-31..2026-11-06"
    assert _by_collector(report)["c-1"]["recovered"] == "300.00"  # 200 (Sat 23:59) + 100


def test_a_collector_sees_only_their_own_figures(desk: Desk) -> None:
    rows = _by_collector(desk.json("/reports/collectors/progress", C1, **OCTOBER))
    assert list(rows) == ["c-1"]


def test_monthly_report_lists_extension_requests_with_reason_and_next_steps(desk: Desk) -> None:
    report = desk.json("/reports/collectors/monthly", on="2026-10-01")
    (extension,) = report["sections"][1]["rows"]
    assert extension["reason"] == "客户失业" and extension["next_steps"] == "每周电话跟进"
    assert extension["requested_by"] == "c-2"


def test_branch_monthly_has_team_subtotals_and_totals(desk: Desk) -> None:
    report = desk.json("/reports/branches/B1/monthly", MANAGER_B1, on="2026-10-31")
    teams = {row["team_id"]: row for row in report["sections"][1]["rows"]}
    assert teams["T1"]["recovered"] == "900.00" and teams["T2"]["recovered"] == "0.00"
    assert report["summary"]["recovered"] == "900.00"
    assert report["summary"]["calls"] == 4
    assert desk.get("/reports/branches/B1/monthly", MANAGER_B2).status_code == 404


def test_reconciliation_equals_the_payments_to_the_fen_with_bucket_commission(desk: Desk) -> None:
    report = desk.json("/reports/reconciliation/BANK-A", month="2026-10")
    lines = report["sections"][0]["rows"]
    assert [line["amount"] for line in lines] == ["150.50", "300.00", "249.50", "200.00"]
    # Each payment at the case's bucket on the day paid: B (overdue since 07-15) paid
    # 150.50 on day 82 (M3, 15 %: 22.575 -> 22.58) and 249.50 on day 97 (M4: no rate of its
    # own, the general 12 %: 29.94); A (since 09-01) is M2 all October (12 %).
    assert [line["bucket"] for line in lines] == ["M3", "M2", "M4", "M2"]
    assert [line["rate"] for line in lines] == ["0.1500", "0.1200", "0.1200", "0.1200"]
    assert [line["commission"] for line in lines] == ["22.58", "36.00", "29.94", "24.00"]
    summary = report["summary"]
    assert summary["recovered"] == "900.00" and summary["commission"] == "112.52"
    assert "the day it was paid" in summary["commission_rule"]
    assert sum(Decimal(line["amount"]) for line in lines) == Decimal(summary["recovered"])
    assert (summary["cases_received"], summary["cases_recalled"], summary["cases_closed"]) == (
        3,
        1,
        0,
    )
    november = desk.json("/reports/reconciliation/BANK-A", month="2026-11")
    assert november["summary"]["recovered"] == "100.00"


def test_a_bank_reads_its_own_statement_only(desk: Desk) -> None:
    own = desk.get("/reports/reconciliation/BANK-A", BANK_A, month="2026-10")
    assert own.status_code == 200 and own.json()["summary"]["recovered"] == "900.00"
    assert desk.get("/reports/reconciliation/BANK-A", BANK_B, month="2026-10").status_code == 404
    assert desk.get("/reports/collectors/progress", BANK_A).status_code == 403
    assert desk.get("/reports/reconciliation/BANK-A", C1, month="2026-10").status_code == 403


def test_friday_report_lists_repayments_and_overdue_customers(desk: Desk) -> None:
    report = desk.json("/reports/receivables/friday", on="2026-11-06")
    repayments, overdue = (s["rows"] for s in report["sections"])
    assert [r["amount"] for r in repayments] == ["200.00", "100.00"]
    by_account = {r["account_ref"]: r for r in overdue}
    assert set(by_account) == {"ACC-A", "ACC-B", "ACC-D"}  # C was recalled
    assert (by_account["ACC-A"]["balance"], by_account["ACC-A"]["days_past_due"]) == ("400.00", 66)
    assert (by_account["ACC-B"]["balance"], by_account["ACC-B"]["days_past_due"]) == (
        "1600.00",
        114,
    )
    assert report["summary"]["repaid"] == "300.00"
    assert report["summary"]["overdue_amount"] == "2800.00"


def test_csv_and_xlsx_carry_the_same_lines_as_json(desk: Desk) -> None:
    answer = desk.get("/reports/reconciliation/BANK-A", month="2026-10", format="csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    amounts = [r[4] for r in rows[2:6]]
    assert amounts == ["150.50", "300.00", "249.50", "200.00"]
    answer = desk.get("/reports/reconciliation/BANK-A", month="2026-10", format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    sheet = book["payments"]
    assert [sheet.cell(row=r, column=5).value for r in range(2, 6)] == [150.5, 300, 249.5, 200]
    assert {sheet.cell(row=r, column=5).number_format for r in range(2, 6)} == {"#,##0.00"}
    assert {sheet.cell(row=r, column=8).number_format for r in range(2, 6)} == {"#,##0.00"}
    rates = [sheet.cell(row=r, column=7) for r in range(2, 6)]
    assert [c.value for c in rates] == [0.15, 0.12, 0.12, 0.12]
    assert {c.number_format for c in rates} == {"0.0000"}, "general and bucket rates alike"
    assert [sheet.cell(row=r, column=6).value for r in range(2, 6)] == ["M3", "M2", "M4", "M2"]
    summary = {r[0]: r[1] for r in book["summary"].iter_rows(values_only=True)}
    assert summary["recovered"] == 900 and summary["commission"] == 112.52


def test_exports_neutralise_formulas(desk: Desk) -> None:
    desk.runtime.dispatch(
        [
            desk.scenario.add(
                ApprovalRequested(
                    approval_id="X-2",
                    kind="extension",
                    reason='=HYPERLINK("http://evil")',
                    requested_by="c-1",
                    requested_at=cst("10-26"),
                ),
                cst("10-26"),
                "A",
            )
        ]
    )
    answer = desk.get("/reports/collectors/monthly", on="2026-10-01", format="csv")
    assert "'=HYPERLINK" in answer.text
    answer = desk.get("/reports/collectors/monthly", on="2026-10-01", format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    reasons = [row[4] for row in book["extensions"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://evil")' in reasons  # stored as text, not as a formula
    assert all(
        cell.data_type == "s"
        for row in book["extensions"].iter_rows()
        for cell in row
        if cell.value
    )
