"""Closure from intake's events: each case's balance from CaseImported and CaseUpdated,
payments against it, and the case closed when paid in full or recalled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from services.assignment.blacklist.domain import debtor_key
from services.assignment.closing.domain import Outcome, paid_in_full
from services.assignment.closing.models import CaseBalance
from services.assignment.closing.service import close_case
from services.assignment.models import AssignedCase
from shared.bus.handlers import Handled, batched
from shared.bus.work import UnitOfWork
from shared.db import upsert
from shared.events import Envelope
from shared.events.catalog import CaseImported, CaseRecalled, CaseUpdated, PaymentReceived
from shared.pastdue import first_overdue_of

BALANCES = CaseBalance.__table__
CASES = AssignedCase.__table__
PAID_IN_FULL = "paid in full"
NOTHING_OWED = "the client's balance shows nothing owed"


@dataclass(frozen=True)
class BlacklistSecret:
    """Keys the hash of each debtor's ID number; read from the settings once, at start,
    and reaching the handlers through the service context."""

    value: bytes


@batched
def on_imported(items: Sequence[Handled[CaseImported]]) -> None:
    first = items[0][0]
    secret = first.context.extra(BlacklistSecret).value
    rows = [_balance_row(uow, event, secret) for uow, event in items]
    upsert(first.session, BALANCES, rows, key=["case_id"])


def _balance_row(uow: UnitOfWork, event: Envelope[CaseImported], secret: bytes) -> dict[str, Any]:
    payload: CaseImported = event.payload
    return {
        "case_id": event.case_id,
        "client_id": payload.client_id,
        "owed": payload.debt.total_owed,
        "paid": Decimal("0"),
        "overdue_since": first_overdue_of(payload),
        "debtor_key": debtor_key(secret, payload.debtor.id_number),
        "updated_at": uow.now,
    }


@batched
def on_payments(items: Sequence[Handled[PaymentReceived]]) -> None:
    """Add each run's payments per case in one write; close the cases they pay off."""
    received: dict[str, Decimal] = {}
    last: dict[str, UnitOfWork] = {}
    for uow, event in items:
        if event.case_id:
            received[event.case_id] = received.get(event.case_id, Decimal("0")) + (
                event.payload.amount
            )
            last[event.case_id] = uow
    session = items[0][0].session
    balances = _balances(session, list(received))
    rows = [
        {"cid": case_id, "paid": paid + received[case_id], "owed": owed}
        for case_id, (owed, paid) in balances.items()
    ]
    _save(session, rows, items[0][0].now, reset=False)
    _close_paid(session, rows, last, PAID_IN_FULL)


@batched
def on_updated(items: Sequence[Handled[CaseUpdated]]) -> None:
    """A new figure from the client replaces the owed amount, and payments reported before
    it count as included in it: the tally starts again."""
    new_figure = {e.case_id: (uow, e.payload.debt.total_owed) for uow, e in items if e.payload.debt}
    if not new_figure:
        return
    session = items[0][0].session
    known = _balances(session, list(new_figure))
    rows = [{"cid": cid, "owed": new_figure[cid][1], "paid": Decimal("0")} for cid in known]
    _save(session, rows, items[0][0].now, reset=True)
    _close_paid(session, rows, {cid: uow for cid, (uow, _) in new_figure.items()}, NOTHING_OWED)


def on_recalled(uow: UnitOfWork, event: Envelope[CaseRecalled]) -> None:
    if event.case_id and uow.session.get(AssignedCase, event.case_id) is not None:
        reason = event.payload.reason or "recalled by the client"
        close_case(uow, event.case_id, Outcome.RECALLED, reason)


def _balances(session: Session, case_ids: list[str]) -> dict[str, tuple[Decimal, Decimal]]:
    found: dict[str, tuple[Decimal, Decimal]] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        query = select(BALANCES.c.case_id, BALANCES.c.owed, BALANCES.c.paid).where(
            BALANCES.c.case_id.in_(chunk)
        )
        for case_id, owed, paid in session.execute(query):
            found[case_id] = (Decimal(owed), Decimal(paid))
    return found


def _save(session: Session, rows: list[dict[str, Any]], now: datetime, *, reset: bool) -> None:
    if not rows:
        return
    values: dict[str, Any] = {"paid": bindparam("new_paid"), "updated_at": now}
    if reset:
        values["owed"] = bindparam("new_owed")
    statement = update(BALANCES).where(BALANCES.c.case_id == bindparam("cid")).values(**values)
    session.execute(
        statement, [{"cid": r["cid"], "new_paid": r["paid"], "new_owed": r["owed"]} for r in rows]
    )


def _close_paid(
    session: Session, rows: list[dict[str, Any]], units: dict[str, UnitOfWork], reason: str
) -> None:
    settled = [r["cid"] for r in rows if paid_in_full(r["owed"], r["paid"])]
    if not settled:
        return
    still_open = session.execute(
        select(CASES.c.id).where(CASES.c.id.in_(settled), CASES.c.closed_at.is_(None))
    ).scalars()
    for case_id in still_open:
        close_case(units[case_id], case_id, Outcome.PAID, reason)
