"""The Friday receivables report: the week's repayments, and every overdue customer with
amount, days overdue and the measures taken that week."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE
from services.reporting.money import fen
from services.reporting.periods import Period
from services.reporting.reports.book import book_at
from services.reporting.reports.shape import Report, Section

RM = LIVE
PAYMENT_COLUMNS = [
    ("case_id", "案件 case"),
    ("account_ref", "账号 account"),
    ("collector_id", "催收员 collector"),
    ("paid_at", "还款时间 paid at"),
    ("amount", "金额 amount"),
]
OVERDUE_COLUMNS = [
    ("case_id", "案件 case"),
    ("account_ref", "账号 account"),
    ("collector_id", "催收员 collector"),
    ("balance", "逾期金额 amount overdue"),
    ("days_past_due", "逾期天数 days overdue"),
    ("measures", "本周措施 measures taken"),
]


def friday_report(session: Session, week: Period, collectors: set[str] | None) -> Report:
    """``collectors``: whose cases the caller may see (None: all)."""
    c, p = RM.cases, RM.payments
    repayments = []
    total = fen(0)
    for case_id, account, collector, paid_at, amount in session.execute(
        select(p.c.case_id, c.c.account_ref, p.c.collector_id, p.c.paid_at, p.c.amount)
        .join(c, c.c.case_id == p.c.case_id, isouter=True)
        .where(p.c.paid_at >= week.start, p.c.paid_at < week.end)
        .order_by(p.c.paid_at, p.c.transaction_ref)
    ):
        if collectors is not None and collector not in collectors:
            continue
        total += fen(amount)
        repayments.append(
            {"case_id": case_id, "account_ref": account, "collector_id": collector,
             "paid_at": paid_at, "amount": fen(amount)}
        )  # fmt: skip
    measures = _measures(session, week)
    overdue = [
        {
            "case_id": case.case_id,
            "account_ref": case.account_ref,
            "collector_id": case.collector_id,
            "balance": case.balance,
            "days_past_due": case.days_past_due,
            "measures": ", ".join(f"{k}×{n}" for k, n in sorted(measures[case.case_id].items())),
        }
        for case in book_at(session, week)
        if case.days_past_due > 0
        and case.balance > 0
        and (collectors is None or case.collector_id in collectors)
    ]
    return Report(
        report="receivables_friday",
        title="应收账款周五报告 receivables Friday report",
        period=week.label,
        scope="all" if collectors is None else ", ".join(sorted(collectors)) or "-",
        sections=[
            Section("repayments", PAYMENT_COLUMNS, repayments),
            Section("overdue", OVERDUE_COLUMNS, overdue),
        ],
        summary={
            "repayments": len(repayments),
            "repaid": total,
            "overdue_customers": len(overdue),
            "overdue_amount": sum((r["balance"] for r in overdue), fen(0)),
        },
    )


def _measures(session: Session, week: Period) -> dict[str, Counter[str]]:
    a, letters = RM.attempts, RM.letters
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for case_id, channel in session.execute(
        select(a.c.case_id, a.c.channel).where(
            a.c.at >= week.start, a.c.at < week.end, a.c.direction == "outbound"
        )
    ):
        found[case_id][channel] += 1
    for case_id, kind in session.execute(
        select(letters.c.case_id, letters.c.kind).where(
            letters.c.issued_at >= week.start, letters.c.issued_at < week.end
        )
    ):
        found[case_id][f"letter:{kind}"] += 1
    return found
