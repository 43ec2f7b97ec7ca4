"""The book at a moment: every open case with its holder, balance and days past due.

Balance = the bank's latest total owed less payments received after that total was set
(a bank's adjustment already reflects earlier payments). Days past due are counted to the
report's last day from the first overdue day, buckets by ``shared.pastdue``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE
from services.reporting.money import fen
from services.reporting.periods import Period
from services.reporting.reports.activity import holder_at
from shared.pastdue import bucket_of, days_past_due

RM = LIVE
DEFAULT_AFTER_DAYS = 90  # a case more than 90 days past due counts as defaulted


@dataclass(frozen=True)
class OpenCase:
    case_id: str
    client_id: str
    account_ref: str | None
    product_type: str | None
    collector_id: str | None
    owed: Decimal
    owed_at_import: Decimal
    balance: Decimal
    days_past_due: int

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_past_due)


def book_at(session: Session, period: Period) -> list[OpenCase]:
    """Cases imported before the period's end and neither closed nor recalled by then."""
    c, p = RM.cases, RM.payments
    end = period.end
    paid: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for case_id, amount in session.execute(
        select(p.c.case_id, p.c.amount)
        .join(c, c.c.case_id == p.c.case_id)
        .where(p.c.paid_at < end, or_(c.c.owed_set_at.is_(None), p.c.paid_at > c.c.owed_set_at))
    ):
        paid[case_id] += fen(amount)
    rows = session.execute(
        select(
            c.c.case_id,
            c.c.client_id,
            c.c.account_ref,
            c.c.product_type,
            holder_at(c.c.case_id, end).label("collector_id"),
            c.c.owed,
            c.c.owed_at_import,
            c.c.overdue_since,
        )
        .where(c.c.imported_at < end)
        .where(or_(c.c.closed_at.is_(None), c.c.closed_at >= end))
        .where(or_(c.c.recalled_at.is_(None), c.c.recalled_at >= end))
        .where(and_(c.c.client_id.is_not(None)))
        .order_by(c.c.case_id)
    )
    book = []
    for r in rows:
        owed = fen(r.owed)
        book.append(
            OpenCase(
                r.case_id,
                r.client_id,
                r.account_ref,
                r.product_type,
                r.collector_id,
                owed,
                fen(r.owed_at_import),
                max(owed - paid[r.case_id], Decimal("0.00")),
                days_past_due(r.overdue_since, period.last),
            )
        )
    return book
