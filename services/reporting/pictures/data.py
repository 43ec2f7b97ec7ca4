"""The figures behind each chart, for the caller's scope (kept apart from drawing, so the
numbers are tested as numbers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from services.reporting.directory import Collector
from services.reporting.models import WORKDAYS
from services.reporting.periods import Period, months_back, period_of
from services.reporting.reports import sla
from services.reporting.reports.activity import Activity, collector_activity
from services.reporting.reports.book import book_at
from services.reporting.reports.kpis import aging, paid_in
from services.reporting.reports.reconciliation import client_terms
from shared.workdays.tables import load_calendar

MONTHS = 6
WEEKS = 8


def recovered_by_month(
    session: Session, period: Period, collectors: dict[str, Collector], everyone: bool
) -> dict[str, Any]:
    """Recovered per month; the target is the clients' targets for HQ and admins, else the
    sum of the visible collectors' quotas."""
    months = months_back(period.first, MONTHS)
    recovered, target = [], []
    clients = {c.client_id for c in book_at(session, period)} if everyone else set()
    for month in months:
        if everyone:
            recovered.append(paid_in(session, month))
        else:
            done = collector_activity(session, month)
            recovered.append(
                sum((done.get(k, Activity()).recovered for k in collectors), Decimal("0.00"))
            )
        if everyone:
            targets = [client_terms(session, c, month.last).recovery_target for c in clients]
            known = [t for t in targets if t is not None]
        else:
            known = [c.monthly_quota for c in collectors.values() if c.monthly_quota is not None]
        target.append(sum(known, Decimal("0.00")) if known else None)
    return {"months": [m.label for m in months], "recovered": recovered, "target": target}


def aging_at(
    session: Session, period: Period, collectors: dict[str, Collector], everyone: bool
) -> list[dict[str, Any]]:
    book = [c for c in book_at(session, period) if everyone or c.collector_id in collectors]
    return aging(book)


def ranking(
    session: Session, period: Period, collectors: dict[str, Collector]
) -> list[tuple[str, Decimal]]:
    done = collector_activity(session, period)
    rows = [(c.name, done.get(k, Activity()).recovered) for k, c in collectors.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def breaches_per_week(
    session: Session, period: Period, collectors: dict[str, Collector], everyone: bool, now: Any
) -> dict[str, Any]:
    weeks = [period_of("week", period.last)]
    while len(weeks) < WEEKS:
        weeks.insert(0, weeks[0].previous())
    calendar = load_calendar(session, WORKDAYS)
    counts: dict[str, list[int]] = {kind: [0] * WEEKS for kind in sla.SLA_KINDS}
    for index, week in enumerate(weeks):
        for breach in sla.breaches(session, week, calendar, now):
            if everyone or breach.who in collectors:
                counts[breach.kind][index] += 1
    return {"weeks": [w.last.strftime("%m-%d") for w in weeks], "counts": counts}
