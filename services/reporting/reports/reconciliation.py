"""The monthly reconciliation statement (对账单) with a bank, on its agreement's day.

Every `PaymentReceived` of the client's cases in the statement's period is a line; the
recovered total is their sum to the fen, and commission is worked out line by line at
the agreement's rate for **the case's bucket on the day the payment was made** (Shanghai
day; days past due and buckets by ``shared.pastdue``), else its general rate, each
line rounded half-up to the fen, so the lines add up to the total shown. Each line
prints that bucket and the rate applied, every rate to four places.

A payment made while an outside agency held the case names the agency; a section totals
each agency's recoveries. For the platform's own staff (not the bank) each such line also
shows the agency's rate and commission (see ``agencies.py``); the bank's commission is the
same with or without an agency.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE
from services.reporting.money import fen, shown_rate
from services.reporting.periods import Period, reconciliation_period
from services.reporting.reports.agencies import AgencyTally, agency_tally, with_agency
from services.reporting.reports.shape import Report, Section
from shared.clock import to_local
from shared.pastdue import bucket_on

RM = LIVE


@dataclass(frozen=True)
class Terms:
    agreement_id: str | None
    number: str | None
    reconciliation_day: int
    rate: Decimal
    bucket_rates: dict[str, Decimal]
    recovery_target: Decimal | None

    def rate_for(self, bucket: str | None) -> Decimal:
        return shown_rate(self.bucket_rates.get(bucket or "", self.rate))


COMMISSION_RULE = (
    "每笔按还款当日案件账龄的费率计佣 — each payment at the rate of the case's bucket on "
    "the day it was paid (M0, M1 1–30 days … M7+ 181 and more), else the general rate"
)


NO_AGREEMENT = Terms(None, None, 1, Decimal("0"), {}, None)


def agreements(session: Session, client_id: str) -> dict[str, Terms]:
    a = RM.agreements
    found = {}
    for row in session.execute(select(a).where(a.c.client_id == client_id)):
        found[row.agreement_id] = Terms(
            row.agreement_id,
            row.number,
            row.reconciliation_day,
            Decimal(str(row.commission_rate)),
            {k: Decimal(v) for k, v in json.loads(row.bucket_rates).items()},
            None if row.recovery_target is None else fen(row.recovery_target),
        )
    return found


def client_terms(session: Session, client_id: str, on: date) -> Terms:
    """The client's agreement in force on ``on`` (latest saved), else its latest one."""
    a = RM.agreements
    rows = session.execute(
        select(a.c.agreement_id, a.c.starts_on, a.c.ends_on, a.c.status)
        .where(a.c.client_id == client_id)
        .order_by(a.c.saved_at.desc())
    ).all()
    if not rows:
        return NO_AGREEMENT
    terms = agreements(session, client_id)
    for agreement_id, starts_on, ends_on, status in rows:
        if starts_on <= on <= ends_on and status != "terminated":
            return terms[agreement_id]
    return terms[rows[0][0]]


AGENCY_COLUMNS = [("agency_rate", "委外佣金比例 agency rate"),
                  ("agency_commission", "委外佣金 agency commission")]  # fmt: skip
LINE_COLUMNS = [
    ("case_id", "案件 case"),
    ("account_ref", "账号 account"),
    ("transaction_ref", "交易号 transaction"),
    ("paid_at", "还款时间 paid at"),
    ("amount", "金额 amount"),
    ("bucket", "账龄 bucket"),
    ("rate", "佣金比例 rate"),
    ("commission", "佣金 commission"),
    ("agency_id", "委外机构 agency"),
]


def statement(session: Session, client_id: str, month: date, *, internal: bool = True) -> Report:
    """``internal``: for the platform's staff, with the agencies' commission; a bank's
    copy names the agencies and their recoveries only."""
    terms = client_terms(session, client_id, month.replace(day=28))
    period = reconciliation_period(month, terms.reconciliation_day)
    by_agreement = agreements(session, client_id)
    c, p = RM.cases, RM.payments
    query = (
        with_agency(
            select(p.c.case_id, c.c.account_ref, p.c.transaction_ref, p.c.paid_at, p.c.amount,
                   c.c.overdue_since, c.c.agreement_id)
        )
        .join(c, c.c.case_id == p.c.case_id, isouter=True)
        .where(p.c.client_id == client_id, p.c.paid_at >= period.start, p.c.paid_at < period.end)
        .order_by(p.c.paid_at, p.c.transaction_ref)
    )  # fmt: skip
    tally = agency_tally(session)
    summary: dict[str, Any] = {
        "client_id": client_id,
        "agreement": terms.number,
        "reconciliation_day": terms.reconciliation_day,
        "from": period.first,
        "to": period.last,
        "cases_received": _count(session, client_id, c.c.imported_at, period),
        "cases_recalled": _count(session, client_id, c.c.recalled_at, period),
        "cases_closed": _count(session, client_id, c.c.closed_at, period),
        "payments": 0,
        "recovered": Decimal("0.00"),
        "commission": Decimal("0.00"),
        "commission_rule": COMMISSION_RULE,
        "recovered_by_agencies": Decimal("0.00"),
    }
    if internal:
        summary["agency_commission"] = Decimal("0.00")

    def lines() -> Iterator[dict[str, Any]]:
        """Read as they are written out (flat memory); the totals are complete at the end."""
        rows = session.execute(query.execution_options(yield_per=2000))
        for case_id, account, ref, paid_at, amount, first_overdue, agreement_id, *agency in rows:
            bucket = bucket_on(first_overdue, to_local(paid_at).date())
            rate = by_agreement.get(agreement_id or "", terms).rate_for(bucket)
            amount = fen(amount)
            line_commission = fen(amount * rate)
            summary["payments"] += 1
            summary["recovered"] += amount
            summary["commission"] += line_commission
            line = {
                "case_id": case_id,
                "account_ref": account,
                "transaction_ref": ref,
                "paid_at": paid_at,
                "amount": amount,
                "bucket": bucket,
                "rate": rate,
                "commission": line_commission,
                "agency_id": agency[0],
            }
            by_agency = _agency_part(tally, summary, amount, *agency) if agency[0] else NONE
            yield line | by_agency if internal else line

    columns = LINE_COLUMNS + (AGENCY_COLUMNS if internal else [])
    return Report(
        report="reconciliation",
        title="对账单 reconciliation statement",
        period=f"{period.first.isoformat()}..{period.last.isoformat()}",
        scope=client_id,
        sections=[Section("payments", columns, lines()), tally.section(internal)],
        summary=summary,
    )


NONE = {"agency_rate": None, "agency_commission": None}


def _agency_part(
    tally: AgencyTally, summary: dict[str, Any], amount: Decimal, agency_id: str, rate: Any
) -> dict[str, Any]:
    agency_rate = shown_rate(Decimal(rate or 0))
    commission = tally.add(agency_id, agency_rate, amount)
    summary["recovered_by_agencies"] += amount
    if "agency_commission" in summary:
        summary["agency_commission"] += commission
    return {"agency_rate": agency_rate, "agency_commission": commission}


def _count(session: Session, client_id: str, column: Any, period: Period) -> int:
    c = RM.cases
    return session.execute(
        select(func.count()).where(
            c.c.client_id == client_id, column >= period.start, column < period.end
        )
    ).scalar_one()
