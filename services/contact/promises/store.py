"""Promises' queries: a case's promises and their instalments, the instalments a payment
or the due check works on, and the payments the client reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from services.contact.promises.domain import OPEN
from services.contact.promises.models import Instalment, Payment, Promise

_PROMISES = (
    select(Promise)
    .where(Promise.case_id == bindparam("case_id"))
    .order_by(Promise.promised_at.desc())
)


def promises_of(session: Session, case_id: str) -> list[tuple[Promise, list[Instalment]]]:
    """The case's promises, latest first, each with its instalments in order."""
    found = list(session.execute(_PROMISES, {"case_id": case_id}).scalars())
    plans: dict[str, list[Instalment]] = {p.id: [] for p in found}
    if plans:
        for instalment in session.execute(
            select(Instalment)
            .where(Instalment.promise_id.in_(list(plans)))
            .order_by(Instalment.promise_id, Instalment.seq)
        ).scalars():
            plans[instalment.promise_id].append(instalment)
    return [(p, plans[p.id]) for p in found]


def promise(session: Session, promise_id: str) -> Promise | None:
    return session.get(Promise, promise_id)


def instalment_states(session: Session, promise_id: str) -> Sequence[str]:
    return (
        session.execute(select(Instalment.state).where(Instalment.promise_id == promise_id))
        .scalars()
        .all()
    )


def payment(session: Session, client_id: str, ref: str) -> Payment | None:
    return session.get(Payment, (client_id, ref))


def payments_of(session: Session, case_id: str) -> Sequence[Payment]:
    """The case's payments, earliest first."""
    return (
        session.execute(select(Payment).where(Payment.case_id == case_id).order_by(Payment.paid_at))
        .scalars()
        .all()
    )


def unallocated_since(session: Session, case_id: str, since: datetime) -> Sequence[Payment]:
    """The case's payments from ``since`` that promises have not taken in full."""
    return (
        session.execute(
            select(Payment)
            .where(Payment.case_id == case_id, Payment.paid_at >= since, Payment.unallocated > 0)
            .order_by(Payment.paid_at)
        )
        .scalars()
        .all()
    )


def short_instalments(session: Session, case_id: str, paid: datetime) -> list[Instalment]:
    """The case's instalments still short, of promises that count a payment made at
    ``paid``."""
    return _rows(
        session,
        select(Instalment)
        .join(Promise, Promise.id == Instalment.promise_id)
        .where(
            Instalment.case_id == case_id,
            Instalment.amount > Instalment.paid_on_time + Instalment.paid_late,
            func.coalesce(Promise.counts_from, Promise.promised_at) <= paid,
        ),
    )


def due_instalments(session: Session, now: datetime, case_id: str | None) -> list[Instalment]:
    """Open instalments past their deadline at ``now`` (of one case, or of all)."""
    query = select(Instalment).where(Instalment.state == OPEN, Instalment.deadline <= now)
    if case_id is not None:
        query = query.where(Instalment.case_id == case_id)
    return _rows(session, query)


def _rows(session: Session, query: Select[tuple[Instalment]]) -> list[Instalment]:
    return list(session.execute(query.order_by(Instalment.deadline, Instalment.seq)).scalars())
