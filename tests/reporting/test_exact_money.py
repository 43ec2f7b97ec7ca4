"""100,000 payments of 0.01 on one case add up to exactly 1,000.00 in the reconciliation
statement and in every report that sums payments; commission line by line, half-up to the
fen, adds up to the statement's total.

The first 1,000 payments go through reporting's handlers; the other 99,000 are written
into the payments read model as those handlers write them (same columns, collector
attributed), because handling 100,000 events one by one here would take most of an hour
(each payment re-attributes every payment of its case). What is under test is the storage
and the reports' sums, which read the same rows either way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.reporting.models import LIVE
from shared.events import catalog as ev
from tests.reporting.conftest import MANAGER_B1, Desk
from tests.reporting.scenario import Scenario, cst

PAYMENTS = 100_000
HANDLED = 1_000
FEN = Decimal("0.01")


def _a_hundred_thousand_fen() -> Scenario:
    s = Scenario()
    s.add(
        ev.AgreementSaved(
            agreement_id="AG-1",
            client_id="BANK-A",
            number="HZ-2026-01",
            status="active",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            commission_rate=Decimal("0.5"),  # 0.01 × 50 % = 0.005: half-up, 0.01 a line
            bucket_rates={},
            reconciliation_day=1,
            recovery_target=Decimal("2000.00"),
            saved_at=cst("09-01"),
        ),
        cst("09-01"),
    )
    s.add(
        ev.CollectorUpdated(
            collector_id="c-1",
            name="王芳",
            role="phone_collector",
            team_id="T1",
            branch_id="B1",
            monthly_quota=Decimal("1000.00"),
            changed_at=cst("09-01"),
        ),
        cst("09-01"),
    )
    s.import_case("A", "1000.00", date(2026, 9, 1), "M1", "card", cst("10-01", "09:00"))
    s.assign("A", "c-1", "T1", cst("10-01", "10:00"))
    for n in range(HANDLED):
        s.pay("A", "0.01", _paid_at(n))
    return s


def _paid_at(n: int) -> datetime:
    """Saturday 10-03 08:00 + 5 s per payment: the week to Friday 10-09 holds every one."""
    return cst("10-03", "08:00") + timedelta(seconds=5 * n)


@pytest.fixture
def penny_desk(make_desk: Callable[..., Desk]) -> Desk:
    desk = make_desk(_a_hundred_thousand_fen())
    payments = LIVE.payments
    with desk.runtime.db.transaction() as session:
        handled = session.execute(select(payments)).mappings().all()
        assert len(handled) == HANDLED and {p["collector_id"] for p in handled} == {"c-1"}
        shape = dict(handled[0])
        rows = [
            shape | {"transaction_ref": f"TX-BULK-{n}", "paid_at": _paid_at(n), "amount": FEN}
            for n in range(HANDLED, PAYMENTS)
        ]
        session.execute(payments.insert(), rows)
    return desk


def test_a_hundred_thousand_payments_of_one_fen_sum_to_exactly_1000(penny_desk: Desk) -> None:
    statement = penny_desk.json("/reports/reconciliation/BANK-A", month="2026-10")
    lines = statement["sections"][0]["rows"]
    assert len(lines) == PAYMENTS and {line["amount"] for line in lines} == {"0.01"}
    summary = statement["summary"]
    assert summary["payments"] == PAYMENTS and summary["recovered"] == "1000.00"
    assert {line["commission"] for line in lines} == {"0.01"}
    assert summary["commission"] == "1000.00"  # per line half-up, not 1,000.00 × 50 %
    assert sum(Decimal(line["commission"]) for line in lines) == Decimal(summary["commission"])

    october = {"period": "month", "on": "2026-10-15"}
    (progress,) = penny_desk.json("/reports/collectors/progress", **october)["sections"][0]["rows"]
    assert progress["recovered"] == "1000.00"
    monthly = penny_desk.json("/reports/branches/B1/monthly", MANAGER_B1, on="2026-10-31")
    assert monthly["summary"]["recovered"] == "1000.00"
    (team,) = monthly["sections"][1]["rows"]
    assert team["recovered"] == "1000.00"

    friday = penny_desk.json("/reports/receivables/friday", on="2026-10-09")
    assert friday["summary"]["repaid"] == "1000.00"
    assert friday["summary"]["repayments"] == PAYMENTS
    assert friday["summary"]["overdue_customers"] == 0, "1,000.00 owed less 1,000.00 paid"

    kpis = penny_desk.json("/reports/kpis", **october)
    (target,) = [row for row in kpis["vs_target"] if row["client_id"] == "BANK-A"]
    assert target["recovered"] == "1000.00" and target["share"] == "0.5000"
    assert {row["balance"] for row in kpis["aging"]} == {"0.00"}
