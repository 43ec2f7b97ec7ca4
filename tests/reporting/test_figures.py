"""Key figures and SLA breaches of the October scenario, worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from shared.events.catalog import LetterIssued
from tests.reporting.conftest import C1, SUPERVISOR_T1, Desk
from tests.reporting.scenario import cst, october


def test_key_figures_of_october(desk: Desk) -> None:
    k = desk.json("/reports/kpis", period="month", on="2026-10-09")
    assert k["recovered"] == "900.00"
    assert k["vs_target"] == [
        {
            "client_id": "BANK-A",
            "month": "2026-10",
            "recovered": "900.00",
            "target": "1000.00",
            "share": "0.9000",
        }
    ]
    quota = {row["collector_id"]: row["share"] for row in k["vs_quota"]}
    assert quota == {"c-1": "1.3010", "c-2": "0.3119", "c-3": "0.0000"}  # 650.50/500, 249.50/800
    # open book at the month's end: A, B, D (C recalled), owed at import 1000+2000+800
    assert k["open_cases"] == 3
    assert k["recovery_rate"] == "0.2368"  # 900 / 3800
    assert k["promise_kept_rate"] == "0.5000"  # P-2 kept, P-1 broken
    assert k["right_party_contact_rate"] == "0.3333"  # 2 RPCs in 6 outbound attempts
    assert k["attempts_per_case"] == "1.50"  # 6 attempts / 4 cases worked (B by c-1 and c-2)
    assert (k["costs"], k["cost_per_case"]) == ("80.00", "26.67")
    aging = {row["bucket"]: (row["cases"], row["balance"]) for row in k["aging"]}
    # A: 60 days, 1000-500 = 500; D: 51 days, 800; B: 108 days, 2000-400 = 1600
    assert aging["M2"] == (2, "1300.00") and aging["M4"] == (1, "1600.00")
    assert sum(cases for cases, _ in aging.values()) == 3
    rolls = {row["bucket"]: row for row in k["roll_rates"]}
    # only D was on the book at 30 September (20 days, M1); by 31 October it is in M2
    assert (rolls["M1"]["cases"], rolls["M1"]["rolled"], rolls["M1"]["roll_rate"]) == (
        1,
        1,
        "1.0000",
    )
    products = {row["product_type"]: row for row in k["by_product"]}
    assert (products["card"]["overdue_rate"], products["card"]["default_rate"]) == (
        "1.0000",
        "0.0000",
    )
    assert products["loan"]["default_rate"] == "1.0000"  # B: 108 days > 90


def test_a_collector_gets_their_own_key_figures(desk: Desk) -> None:
    k = desk.json("/reports/kpis", C1, period="month", on="2026-10-09")
    assert k["recovered"] == "650.50" and k["vs_target"] == []
    assert [row["collector_id"] for row in k["vs_quota"]] == ["c-1"]


def test_sla_breaches_of_october(desk: Desk) -> None:
    report = desk.json("/reports/sla-breaches", period="month", on="2026-10-09")
    found = {
        (b["kind"], desk.scenario.accounts_by_case[b["case_id"]], b["who"])
        for b in report["sections"][0]["rows"]
    }
    assert found == {
        ("entry", "C", None),  # received 06:00, entered 09:00
        ("first_contact", "B", "c-1"),  # due 10-01 12:00, first attempt 10-04
        ("first_contact", "C", "c-3"),  # due 10-01 12:00, first attempt 10-05
        ("field_visit", "B", "f-1"),  # due 10-21 18:00, visited 10-22
    }
    late_visit = next(b for b in report["sections"][0]["rows"] if b["kind"] == "field_visit")
    assert (late_visit["due"], late_visit["actual"]) == (
        "2026-10-21T18:00:00+08:00",
        "2026-10-22T12:00:00+08:00",
    )
    assert report["summary"]["by_team"] == {"-": 2, "T1": 1, "T2": 1}
    assert report["summary"]["by_branch"] == {"-": 2, "B1": 2}


def test_a_supervisor_sees_their_team_breaches_only(desk: Desk) -> None:
    report = desk.json("/reports/sla-breaches", SUPERVISOR_T1, period="month", on="2026-10-09")
    assert [(b["kind"], b["who"]) for b in report["sections"][0]["rows"]] == [
        ("first_contact", "c-1")
    ]


def test_the_overdue_notice_is_due_by_the_end_of_day_7(make_desk: Callable[..., Desk]) -> None:
    s = october()
    s.import_case("E", "300.00", date(2026, 10, 2), "M1", "card", cst("10-03", "09:00"))
    s.assign("E", "c-1", "T1", cst("10-03", "10:00"))
    s.attempt("E", "c-1", "phone", "no_answer", cst("10-03", "11:00"))
    s.import_case("F", "300.00", date(2026, 10, 2), "M1", "card", cst("10-03", "09:00"))
    s.assign("F", "c-1", "T1", cst("10-03", "10:00"))
    s.attempt("F", "c-1", "phone", "no_answer", cst("10-03", "11:00"))
    s.add(
        LetterIssued(
            letter_id="L-F",
            kind="overdue_notice",
            recipient_party="debtor",
            content_sha256="1" * 64,
            issued_at=cst("10-09", "23:59"),
        ),
        cst("10-09", "23:59"),
        "F",
    )
    desk = make_desk(s)
    report = desk.json("/reports/sla-breaches", period="month", on="2026-10-09")
    notices = [b for b in report["sections"][0]["rows"] if b["kind"] == "letter_notice"]
    # E never got one; F's came on 10-09 at 23:59, within day 7 (due 10-10 00:00) — no breach
    assert [
        (s.accounts_by_case[b["case_id"]], b["who"], b["due"], b["actual"]) for b in notices
    ] == [("E", "c-1", "2026-10-10T00:00:00+08:00", None)]


def test_the_first_reportable_day_compares_with_the_month_before(desk: Desk) -> None:
    """1990-01-01 may be asked for; the figures' comparison reaches into 1989."""
    k = desk.json("/reports/kpis", period="day", on="1990-01-01")
    assert k["recovered"] == "0.00"
    assert desk.get("/dashboard/data", period="day", on="1990-01-01").status_code == 200
    for outside in ("1989-12-31", "2100-01-01", "2026-02-30"):
        refused = desk.get("/reports/kpis", period="day", on=outside)
        assert refused.status_code == 422 and "1990-01-01 to 2099-12-31" in refused.text
