"""Key figures for a period and the collectors a caller may see.

Rates are decimals to 4 places (0.9096 = 90.96 %), None when there is nothing to divide by:
recovery rate = recovered / amount owed at import of the open book; promise-kept rate =
kept / (kept + broken) instalments decided in the period; right-party-contact rate = RPCs /
outbound attempts; attempts per case = outbound attempts / cases worked; cost per case =
costs incurred / cases in the book; overdue rate = cases past due / cases, default rate =
cases more than 90 days past due / cases, per product; roll rates = of the cases in a
bucket at the previous month's end, the share in a later bucket at this month's end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting.directory import Collector
from services.reporting.models import LIVE
from services.reporting.money import fen, ratio
from services.reporting.periods import Period, period_of
from services.reporting.reports.activity import Activity, collector_activity
from services.reporting.reports.book import DEFAULT_AFTER_DAYS, OpenCase, book_at
from services.reporting.reports.reconciliation import client_terms
from shared.pastdue import BUCKETS

RM = LIVE


def kpis(session: Session, period: Period, collectors: dict[str, Collector], everyone: bool):
    """``everyone``: the caller sees the whole book (HQ, admins), not only their collectors'."""
    activity = collector_activity(session, period)
    total = Activity()
    for key in collectors:
        total.add(activity.get(key, Activity()))
    if everyone:  # the platform's and the clients' figure: paid before assignment counts too
        total.recovered = paid_in(session, period)
    book = [c for c in book_at(session, period) if everyone or c.collector_id in collectors]
    owed = sum((c.owed_at_import for c in book), Decimal("0.00"))
    attempts = _outbound_attempts(session, period, set(collectors))
    costs = _costs(session, period, {c.case_id for c in book})
    month = period_of("month", period.first)
    month_activity = collector_activity(session, month) if month != period else activity
    return {
        "period": period.label,
        "recovered": total.recovered,
        "recovery_rate": ratio(total.recovered, owed),
        "promise_kept_rate": ratio(
            total.promises_kept, total.promises_kept + total.promises_broken
        ),
        "right_party_contact_rate": ratio(total.right_party_contacts, attempts),
        "attempts_per_case": ratio(attempts, total.cases_worked, 2),
        "cost_per_case": None if not book else fen(costs / len(book)),
        "costs": costs,
        "open_cases": len(book),
        "vs_target": _vs_target(session, month, book, everyone),
        "vs_quota": [
            {
                "collector_id": key,
                "name": c.name,
                "quota": c.monthly_quota,
                "recovered": month_activity.get(key, Activity()).recovered,
                "share": ratio(month_activity.get(key, Activity()).recovered, c.monthly_quota or 0),
            }
            for key, c in sorted(collectors.items())
        ],
        "aging": aging(book),
        "roll_rates": roll_rates(
            [
                c
                for c in book_at(session, month.previous())
                if everyone or c.collector_id in collectors
            ],
            book_at(session, month),
        ),
        "by_product": by_product(book),
    }


def aging(book: list[OpenCase]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    balances: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for case in book:
        counts[case.bucket] += 1
        balances[case.bucket] += case.balance
    return [{"bucket": b, "cases": counts[b], "balance": fen(balances[b])} for b in BUCKETS]


def roll_rates(before: list[OpenCase], after: list[OpenCase]) -> list[dict[str, Any]]:
    """For each bucket at the earlier month's end: how many cases, how many rolled to a
    later bucket, and the rate. A case closed, recalled or paid off no longer rolls."""
    now = {c.case_id: c for c in after if c.balance > 0}
    order = {b: i for i, b in enumerate(BUCKETS)}
    rows = []
    for bucket in BUCKETS:
        starting = [c for c in before if c.bucket == bucket and c.balance > 0]
        rolled = sum(
            1 for c in starting if c.case_id in now and order[now[c.case_id].bucket] > order[bucket]
        )
        rows.append(
            {"bucket": bucket, "cases": len(starting), "rolled": rolled,
             "roll_rate": ratio(rolled, len(starting))}
        )  # fmt: skip
    return rows


def by_product(book: list[OpenCase]) -> list[dict[str, Any]]:
    groups: dict[str, list[OpenCase]] = defaultdict(list)
    for case in book:
        groups[case.product_type or "-"].append(case)
    return [
        {
            "product_type": product,
            "cases": len(cases),
            "overdue": (overdue := sum(1 for c in cases if c.days_past_due > 0)),
            "overdue_rate": ratio(overdue, len(cases)),
            "defaulted": (gone := sum(1 for c in cases if c.days_past_due > DEFAULT_AFTER_DAYS)),
            "default_rate": ratio(gone, len(cases)),
        }
        for product, cases in sorted(groups.items())
    ]


def paid_in(session: Session, period: Period) -> Decimal:
    """Every payment received in the period, whether or not a collector held its case."""
    p = RM.payments
    total = session.execute(
        select(func.sum(p.c.amount)).where(p.c.paid_at >= period.start, p.c.paid_at < period.end)
    ).scalar()
    return fen(total or Decimal("0.00"))


def _vs_target(
    session: Session, month: Period, book: list[OpenCase], everyone: bool
) -> list[dict[str, Any]]:
    """Recovered against each client's monthly target (only for callers who see it all)."""
    if not everyone:
        return []
    p = RM.payments
    recovered: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for client_id, total in session.execute(
        select(p.c.client_id, func.sum(p.c.amount))
        .where(p.c.paid_at >= month.start, p.c.paid_at < month.end)
        .group_by(p.c.client_id)
    ):
        recovered[client_id] = fen(total)
    clients = sorted(set(recovered) | {c.client_id for c in book} | _clients_with_terms(session))
    rows = []
    for client_id in clients:
        target = client_terms(session, client_id, month.last).recovery_target
        rows.append(
            {"client_id": client_id, "month": month.label, "recovered": recovered[client_id],
             "target": target, "share": ratio(recovered[client_id], target or 0)}
        )  # fmt: skip
    return rows


def _clients_with_terms(session: Session) -> set[str]:
    return set(session.execute(select(RM.agreements.c.client_id)).scalars())


def _outbound_attempts(session: Session, period: Period, collectors: set[str]) -> int:
    a = RM.attempts
    return sum(
        1
        for (who,) in session.execute(
            select(a.c.collector_id).where(
                a.c.at >= period.start, a.c.at < period.end, a.c.direction == "outbound"
            )
        )
        if who in collectors
    )


def _costs(session: Session, period: Period, cases: set[str]) -> Decimal:
    k = RM.costs
    total = Decimal("0.00")
    for case_id, amount in session.execute(
        select(k.c.case_id, k.c.amount).where(
            k.c.incurred_on >= period.first, k.c.incurred_on < period.after
        )
    ):
        if case_id in cases:
            total += fen(amount)
    return total
