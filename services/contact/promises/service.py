"""Promises to pay: made on a call, followed against the client's payments and deadlines.

The due check (:func:`check_due`) takes ``now`` from its unit of work; it runs for a case
whenever a payment for it arrives, and for every case from the service's periodic task.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services.contact.models import ContactCase
from services.contact.promises import domain, store
from services.contact.promises.domain import OPEN, InstalmentState
from services.contact.promises.models import Instalment, Payment, Promise
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import ProblemError
from shared.events.catalog import PaymentPromised, PromiseBroken, PromisedInstalment, PromiseKept


def make_promise(
    uow: UnitOfWork,
    case: ContactCase,
    collector_id: str,
    plan: Sequence[tuple[date, Decimal]],
    *,
    tz: ZoneInfo,
    grace_days: int,
    attempt_id: str | None = None,
) -> tuple[Promise, list[Instalment]]:
    today = uow.now.astimezone(tz).date()
    dates = [due for due, _ in plan]
    if dates != sorted(set(dates)):
        raise ProblemError(422, "instalments must fall on different dates, in order")
    if dates[0] < today:
        raise ProblemError(422, f"a promise cannot fall due before today ({today})")
    promise = Promise(
        id=str(uuid.uuid4()),
        case_id=case.id,
        collector_id=collector_id,
        attempt_id=attempt_id,
        amount=sum((amount for _, amount in plan), Decimal("0")),
        promised_at=uow.now,
        counts_from=domain.day_start(uow.now, tz),
    )
    instalments = [
        Instalment(
            promise_id=promise.id,
            seq=seq,
            case_id=case.id,
            due_on=due,
            deadline=domain.deadline_for(due, grace_days, tz),
            amount=amount,
        )
        for seq, (due, amount) in enumerate(plan, start=1)
    ]
    uow.session.add(promise)
    uow.session.add_all(instalments)
    uow.emit(
        PaymentPromised(
            promise_id=promise.id,
            collector_id=collector_id,
            amount=promise.amount,
            due_on=dates[-1],
            promised_at=uow.now,
            instalments=tuple(
                PromisedInstalment(seq=i.seq, amount=i.amount, due_on=i.due_on) for i in instalments
            )
            if len(instalments) > 1
            else (),
        ),
        case_id=case.id,
    )
    _count_earlier_payments(uow, promise, instalments)
    return promise, instalments


def _count_earlier_payments(uow: UnitOfWork, promise: Promise, rows: list[Instalment]) -> None:
    """Payments of the promise's day that arrived before it and that no earlier promise
    took count toward it, as of the moment it was made."""
    assert promise.counts_from is not None
    earlier = store.unallocated_since(uow.session, promise.case_id, promise.counts_from)
    states = [_state(r) for r in rows]
    for payment in earlier:
        left = Decimal(payment.unallocated or 0)
        after = domain.apply_payment(states, left, uow.now)
        payment.unallocated = left - domain.taken(states, after)
        states = after
    _save(uow, rows, states)


def payments_of(session: Session, case_id: str) -> Sequence[Payment]:
    """The payments the client reported for the case, earliest first."""
    return store.payments_of(session, case_id)


def record_payment(
    uow: UnitOfWork, case_id: str, client_id: str, ref: str, amount: Decimal, paid_at: datetime
) -> bool:
    """Fill the case's instalments from a payment; ``False`` if it was recorded before."""
    paid = as_utc(paid_at)
    if store.payment(uow.session, client_id, ref) is not None:
        return False
    rows = store.short_instalments(uow.session, case_id, paid)
    before = [_state(r) for r in rows]
    after = domain.apply_payment(before, amount, paid)
    uow.session.add(
        Payment(
            client_id=client_id,
            transaction_ref=ref,
            case_id=case_id,
            amount=amount,
            paid_at=paid,
            unallocated=amount - domain.taken(before, after),
        )
    )
    _save(uow, rows, after)
    return True


def check_due(uow: UnitOfWork, case_id: str | None = None) -> int:
    """Decide the open instalments past their deadline at ``uow.now``; returns how many."""
    rows = store.due_instalments(uow.session, uow.now, case_id)
    _save(uow, rows, domain.settle_due([_state(r) for r in rows], uow.now))
    return len(rows)


def _state(row: Instalment) -> InstalmentState:
    return InstalmentState(
        promise_id=row.promise_id,
        seq=row.seq,
        due_on=row.due_on,
        deadline=as_utc(row.deadline),
        amount=Decimal(row.amount),
        paid_on_time=Decimal(row.paid_on_time),
        paid_late=Decimal(row.paid_late),
        state=row.state,
        decided_at=as_utc(row.decided_at) if row.decided_at else None,
    )


def _save(uow: UnitOfWork, rows: list[Instalment], states: list[InstalmentState]) -> None:
    by_key = {(r.promise_id, r.seq): r for r in rows}
    touched: set[str] = set()
    for new in states:
        row = by_key[(new.promise_id, new.seq)]
        decided = row.state == OPEN and new.state != OPEN
        row.paid_on_time, row.paid_late = new.paid_on_time, new.paid_late
        row.state, row.decided_at = new.state, new.decided_at
        if decided:
            touched.add(row.promise_id)
            _announce(uow, row, new)
    uow.session.flush()
    for promise_id in touched:
        _update_promise(uow, promise_id)


def _announce(uow: UnitOfWork, row: Instalment, new: InstalmentState) -> None:
    assert new.decided_at is not None
    if new.state == domain.KEPT:
        event = PromiseKept(promise_id=row.promise_id, kept_at=new.decided_at, instalment=row.seq)
    else:
        event = PromiseBroken(
            promise_id=row.promise_id,
            amount_missing=new.missing,
            broken_at=new.decided_at,
            instalment=row.seq,
            amount_paid=new.paid_on_time,
        )
    uow.emit(event, case_id=row.case_id)


def _update_promise(uow: UnitOfWork, promise_id: str) -> None:
    promise = store.promise(uow.session, promise_id)
    if promise is None:
        return
    states = store.instalment_states(uow.session, promise_id)
    promise.state = domain.promise_state(states)
