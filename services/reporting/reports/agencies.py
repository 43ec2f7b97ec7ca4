"""Outside agencies (委外): what each recovered while it held the cases placed with it, and
the commission it earns — each payment at the rate the case was placed at, rounded half-up
to the fen per payment, so the lines add up to the totals. A payment counts for an agency
when it was paid between the placement and the recall. The bank's own commission is not
touched by any of this."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE
from services.reporting.money import fen, shown_rate
from services.reporting.periods import Period
from services.reporting.readmodel.placements import placement_at
from services.reporting.reports.shape import Report, Section

RM = LIVE
COMMISSION_RULE = (
    "每笔按委外时的佣金比例计佣 — each payment made while the case was placed, at the "
    "agency's rate on the day it was placed, rounded half-up to the fen per payment"
)


@dataclass
class Recovered:
    payments: int = 0
    recovered: Decimal = Decimal("0.00")
    commission: Decimal = Decimal("0.00")


@dataclass
class AgencyTally:
    """Per-agency totals, added to line by line as the lines are read."""

    names: dict[str, str] = field(default_factory=dict)
    by_agency: dict[str, Recovered] = field(default_factory=dict)

    def add(self, agency_id: str, rate: Decimal, amount: Decimal) -> Decimal:
        commission = fen(amount * rate)
        totals = self.by_agency.setdefault(agency_id, Recovered())
        totals.payments += 1
        totals.recovered += amount
        totals.commission += commission
        return commission

    def rows(self, with_commission: bool) -> Iterator[dict[str, Any]]:
        """Read after the lines (a generator): the totals are complete by then."""
        for agency_id in sorted(self.by_agency):
            t = self.by_agency[agency_id]
            row = {"agency_id": agency_id, "name": self.names.get(agency_id),
                   "payments": t.payments, "recovered": t.recovered}  # fmt: skip
            yield row | ({"commission": t.commission} if with_commission else {})

    def section(self, with_commission: bool) -> Section:
        columns = [("agency_id", "委外机构 agency"), ("name", "名称 name"),
                   ("payments", "笔数 payments"), ("recovered", "回收 recovered")]  # fmt: skip
        if with_commission:
            columns.append(("commission", "委外佣金 agency commission"))
        return Section("agencies", columns, self.rows(with_commission))


def agency_tally(session: Session) -> AgencyTally:
    """An empty tally that knows the agencies' names (from ``AgencyRegistered``)."""
    a = RM.agencies
    return AgencyTally(names=dict(session.execute(select(a.c.agency_id, a.c.name)).all()))


def with_agency(query: Any) -> Any:
    """``query`` over payments, with the agency holding the case when paid and its rate."""
    p, pl = RM.payments, RM.placements
    return query.add_columns(pl.c.agency_id, pl.c.commission_rate).join_from(
        p, pl, pl.c.placement_id == placement_at(RM, p.c.case_id, p.c.paid_at), isouter=True
    )


LINE_COLUMNS = [
    ("agency_id", "委外机构 agency"),
    ("client_id", "委托方 client"),
    ("case_id", "案件 case"),
    ("transaction_ref", "交易号 transaction"),
    ("paid_at", "还款时间 paid at"),
    ("amount", "金额 amount"),
    ("rate", "佣金比例 rate"),
    ("commission", "佣金 commission"),
]


def agencies_report(session: Session, period: Period) -> Report:
    """Every payment made while a case was placed with an agency, and per-agency totals."""
    p, pl = RM.payments, RM.placements
    query = with_agency(
        select(p.c.client_id, p.c.case_id, p.c.transaction_ref, p.c.paid_at, p.c.amount)
    ).where(p.c.paid_at >= period.start, p.c.paid_at < period.end, pl.c.agency_id.is_not(None))
    tally = agency_tally(session)
    summary: dict[str, Any] = {
        "from": period.first,
        "to": period.last,
        "placed": _count(session, pl.c.placed_at, period),
        "recalled": _count(session, pl.c.recalled_at, period),
        "payments": 0,
        "recovered": Decimal("0.00"),
        "commission": Decimal("0.00"),
        "commission_rule": COMMISSION_RULE,
    }

    def lines() -> Iterator[dict[str, Any]]:
        ordered = query.order_by(pl.c.agency_id, p.c.paid_at, p.c.transaction_ref)
        for client_id, case_id, ref, paid_at, amount, agency_id, rate in session.execute(ordered):
            amount, rate = fen(amount), shown_rate(Decimal(rate or 0))
            commission = tally.add(agency_id, rate, amount)
            summary["payments"] += 1
            summary["recovered"] += amount
            summary["commission"] += commission
            yield {"agency_id": agency_id, "client_id": client_id, "case_id": case_id,
                   "transaction_ref": ref, "paid_at": paid_at, "amount": amount, "rate": rate,
                   "commission": commission}  # fmt: skip

    return Report(
        report="agencies",
        title="委外机构回收与佣金 outside agencies' recoveries and commission",
        period=period.label,
        scope="all",
        sections=[Section("payments", LINE_COLUMNS, lines()), tally.section(True)],
        summary=summary,
    )


def _count(session: Session, column: Any, period: Period) -> int:
    return session.execute(
        select(func.count()).where(column >= period.start, column < period.end)
    ).scalar_one()
