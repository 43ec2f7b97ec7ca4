"""Outside agencies in reporting: a payment made while a case was placed counts for the
agency, at the rate it was placed at, half-up to the fen per payment; the reconciliation
statement names the agency on each such line and totals each agency (the agencies'
commission for staff only); the bank's commission is unchanged; the agencies report
lists the month's placed payments per agency.

On the October scenario (scenario.py): A is placed with AGY-1 at 23.33 % from 10-08 and
recalled 10-31 12:00 (its recall handled before its placement, as a rebuild may); B with
AGY-2 at 19 % from 10-16 and still there. So A's 300.00 of 10-10 counts for AGY-1 (69.99),
A's 200.00 of 10-31 23:59 does not; B's 249.50 of 10-20 counts for AGY-2 (47.405 → 47.41,
half-up), B's 150.50 of 10-05 does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.events import catalog as ev
from tests.reporting.conftest import BANK_A, C1, Desk
from tests.reporting.scenario import Scenario, cst, october


def placed(s: Scenario, case: str, placement: str, agency: str, rate: str, at: datetime) -> None:
    s.add(
        ev.CasePlacedWithAgency(
            placement_id=placement, agency_id=agency, collector_id=f"{agency}-user",
            placed_by="s-1", placed_at=at, until=cst("12-31"), commission_rate=Decimal(rate),
        ),
        at,
        case,
    )  # fmt: skip


def recalled(s: Scenario, case: str, placement: str, agency: str, at: datetime) -> None:
    s.add(
        ev.CaseRecalledFromAgency(
            placement_id=placement, agency_id=agency, recalled_at=at, recalled_by="s-1",
            reason="bank asked", returned_to="c-1",
        ),
        at,
        case,
    )  # fmt: skip


def with_agencies() -> Scenario:
    s = october()
    s.add(
        ev.AgencyRegistered(agency_id="AGY-1", name="诚信委外", commission_rate=Decimal("0.2333"),
                            term_days=90, active=True, saved_at=cst("09-01")),
        cst("09-01"),
    )  # fmt: skip
    recalled(s, "A", "PL-A", "AGY-1", cst("10-31"))
    placed(s, "A", "PL-A", "AGY-1", "0.2333", cst("10-08"))
    placed(s, "B", "PL-B", "AGY-2", "0.1900", cst("10-16"))
    return s


def by_key(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def test_the_statement_names_each_agency_and_its_commission_the_bank_s_is_unchanged(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(with_agencies())
    report = desk.json("/reports/reconciliation/BANK-A", month="2026-10")
    lines, agencies = (s["rows"] for s in report["sections"])
    assert [line["agency_id"] for line in lines] == [None, "AGY-1", "AGY-2", None]
    assert [line["agency_rate"] for line in lines] == [None, "0.2333", "0.1900", None]
    assert [line["agency_commission"] for line in lines] == [None, "69.99", "47.41", None]
    assert [line["commission"] for line in lines] == ["22.58", "36.00", "29.94", "24.00"]
    summary = report["summary"]
    assert (summary["recovered"], summary["commission"]) == ("900.00", "112.52")
    assert summary["recovered_by_agencies"] == "549.50"
    assert summary["agency_commission"] == "117.40"
    assert agencies == [  # AGY-2's registration never arrived: no name
        {
            "agency_id": "AGY-1",
            "name": "诚信委外",
            "payments": 1,
            "recovered": "300.00",
            "commission": "69.99",
        },
        {
            "agency_id": "AGY-2",
            "name": None,
            "payments": 1,
            "recovered": "249.50",
            "commission": "47.41",
        },
    ]

    bank = desk.json("/reports/reconciliation/BANK-A", BANK_A, month="2026-10")
    bank_lines, bank_agencies = (s["rows"] for s in bank["sections"])
    assert [line["agency_id"] for line in bank_lines] == [None, "AGY-1", "AGY-2", None]
    assert all("agency_commission" not in line for line in bank_lines)
    assert "agency_commission" not in bank["summary"]
    assert [a["recovered"] for a in bank_agencies] == ["300.00", "249.50"]
    assert all("commission" not in a for a in bank_agencies)
    assert bank["summary"]["commission"] == "112.52"


def test_the_agencies_report_lists_the_month_s_placed_payments_per_agency(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(with_agencies())
    report = desk.json("/reports/agencies", month="2026-10")
    lines, agencies = (s["rows"] for s in report["sections"])
    assert [(line["agency_id"], line["amount"], line["commission"]) for line in lines] == [
        ("AGY-1", "300.00", "69.99"),
        ("AGY-2", "249.50", "47.41"),
    ]
    assert by_key(agencies, "agency_id")["AGY-2"]["commission"] == "47.41"
    summary = report["summary"]
    assert (summary["placed"], summary["recalled"], summary["payments"]) == (2, 1, 2)
    assert (summary["recovered"], summary["commission"]) == ("549.50", "117.40")
    november = desk.json("/reports/agencies", month="2026-11")
    assert november["sections"][0]["rows"] == [], "A's 11-01 payment came after its recall"
    csv = desk.get("/reports/agencies", month="2026-10", format="csv")
    assert csv.status_code == 200 and "69.99" in csv.text
    assert desk.get("/reports/agencies", BANK_A, month="2026-10").status_code == 403
    assert desk.get("/reports/agencies", C1, month="2026-10").status_code == 403
