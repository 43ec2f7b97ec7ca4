"""What each collector did in a period, counted in SQL (one grouped query per figure).

Money follows the case: a payment or a letter counts for the collector who held the case
at that moment (the latest holding that began no later; kept on the payment row by the
handlers), so a reassignment in mid-month splits the month's figures between the two.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE
from services.reporting.money import fen
from services.reporting.periods import Period
from services.reporting.readmodel.writes import holdings_of

RM = LIVE


holder_at = holdings_of(RM)


@dataclass
class Activity:
    cases_worked: int = 0
    calls: int = 0
    sms: int = 0
    faxes: int = 0
    letters: int = 0
    visits: int = 0
    right_party_contacts: int = 0
    promises_made: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    extension_requests: int = 0
    recovered: Decimal = field(default_factory=lambda: Decimal("0.00"))

    def add(self, other: Activity) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_row(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIGURES = tuple(f.name for f in fields(Activity))


def _in(column: Any, period: Period) -> Any:
    return (column >= period.start) & (column < period.end)


def _counts(session: Session, query: Select[Any]) -> dict[str, Any]:
    return {who: value for who, value in session.execute(query) if who is not None}


def collector_activity(session: Session, period: Period) -> dict[str, Activity]:
    a, p, o = RM.attempts, RM.promises, RM.promise_outcomes
    outbound = _in(a.c.at, period) & (a.c.direction == "outbound")
    by = a.c.collector_id

    def when(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    measures = {
        "cases_worked": func.count(func.distinct(a.c.case_id)),
        "calls": when(a.c.channel == "phone"),
        "sms": when(a.c.channel == "sms"),
        "faxes": when(a.c.channel == "fax"),
        "letters": when(a.c.channel == "letter"),
        "visits": when(a.c.channel == "field_visit"),
        "right_party_contacts": when(a.c.right_party.is_(True)),
    }
    logged: dict[str, dict[str, int]] = {name: {} for name in measures}
    for row in session.execute(
        select(by, *(m.label(name) for name, m in measures.items())).where(outbound).group_by(by)
    ):
        for name in measures:
            logged[name][row.collector_id] = int(row._mapping[name] or 0)

    letter_holder = holder_at(RM.letters.c.case_id, RM.letters.c.issued_at).label("who")
    pay = RM.payments
    recovered = {
        who: fen(total)
        for who, total in _counts(
            session,
            select(pay.c.collector_id, func.sum(pay.c.amount))
            .where(_in(pay.c.paid_at, period))
            .group_by(pay.c.collector_id),
        ).items()
    }
    letters = select(letter_holder).where(_in(RM.letters.c.issued_at, period)).subquery()
    visits = RM.visits
    outcome_by = (
        select(p.c.collector_id, o.c.kept, func.count())
        .join(p, p.c.promise_id == o.c.promise_id)
        .where(_in(o.c.at, period))
        .group_by(p.c.collector_id, o.c.kept)
    )
    kept: dict[str, int] = {}
    broken: dict[str, int] = {}
    for who, was_kept, count in session.execute(outcome_by):
        (kept if was_kept else broken)[who] = count
    ap = RM.approvals
    figures: dict[str, dict[str, Any]] = {
        "cases_worked": logged["cases_worked"],
        "calls": logged["calls"],
        "sms": logged["sms"],
        "faxes": logged["faxes"],
        "letters": _merge(
            logged["letters"],
            _counts(session, select(letters.c.who, func.count()).group_by(letters.c.who)),
        ),
        "visits": _merge(
            logged["visits"],
            _counts(
                session,
                select(visits.c.field_collector_id, func.count())
                .where(_in(visits.c.visited_at, period))
                .group_by(visits.c.field_collector_id),
            ),
        ),
        "right_party_contacts": logged["right_party_contacts"],
        "promises_made": _counts(
            session,
            select(p.c.collector_id, func.count())
            .where(_in(p.c.promised_at, period))
            .group_by(p.c.collector_id),
        ),
        "promises_kept": kept,
        "promises_broken": broken,
        "extension_requests": _counts(
            session,
            select(ap.c.requested_by, func.count())
            .where(_in(ap.c.requested_at, period), ap.c.kind == "extension")
            .group_by(ap.c.requested_by),
        ),
        "recovered": recovered,
    }
    result: dict[str, Activity] = defaultdict(Activity)
    for name, per_collector in figures.items():
        for who, value in per_collector.items():
            setattr(result[who], name, value)
    return dict(result)


def _merge(*counts: dict[str, int]) -> dict[str, int]:
    merged: dict[str, int] = defaultdict(int)
    for one in counts:
        for who, n in one.items():
            merged[who] += n
    return dict(merged)
