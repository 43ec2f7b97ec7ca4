"""Letters keeps its own copy of each case (debtor, amounts, overdue date, who works it) and
of the facts that move its limitation clock; an "invoice not received" call sends a
statement. Wired in services/letters/subscriptions.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlmodel import col

from services.letters.domain.limitation import GUARANTEE_MONTHS, months_after, years_after
from services.letters.issuing.handlers import statement_on_invoice_not_received
from services.letters.limitation.models import Guarantee, LimitationFact
from services.letters.limitation.service import record_fact
from services.letters.models import LetterCase
from services.letters.settings import LettersSettings
from services.letters.waiting import received_case, release_waiting
from shared.bus.handlers import Handled, batched
from shared.bus.work import UnitOfWork
from shared.casecopy import case_row, record_case_copies
from shared.clock import as_utc, to_local
from shared.db import upsert
from shared.events import Envelope
from shared.events.catalog import (
    CaseAssigned,
    CaseImported,
    CaseReassigned,
    CaseUpdated,
    ContactAttempted,
    PaymentPromised,
    PaymentReceived,
)
from shared.logging import get_logger
from shared.pastdue import first_overdue_of

log = get_logger(__name__)
CASES = LetterCase.__table__
IMPORTED_COLUMNS = (
    "total_owed",
    "overdue_since",
    "account_ref",
    "product_type",
    "debtor_name",
    "address",
    "principal",
    "interest",
    "penalty",
    "fees",
)
GUARANTOR_RELATIONS = frozenset({"guarantor", "担保人", "保证人"})


@batched
def on_case_imported(items: Sequence[Handled[CaseImported]]) -> None:
    session, now = items[0][0].session, items[0][0].now
    rows, facts, guarantees = [], [], []
    for _, event in items:
        case, since = event.payload, first_overdue_of(event.payload)
        rows.append(
            case_row(
                event,
                case.client_id,
                total_owed=case.debt.total_owed,
                overdue_since=since,
                account_ref=case.account_ref,
                product_type=case.product_type,
                debtor_name=case.debtor.name[:200],
                address=(case.home_address or case.work_address or "")[:500] or None,
                principal=case.debt.principal,
                interest=case.debt.interest,
                penalty=case.debt.penalty,
                fees=case.debt.fees,
                limitation_ends_on=years_after(since) if since else None,
            )
        )
        if since is None:
            continue
        facts.append(
            {
                "case_id": event.case_id,
                "on": since,
                "kind": "default_known",
                "ref": "overdue_since",
                "note": "overdue since",
                "recorded_at": now,
            }
        )
        guarantees += [
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event.case_id}/{person.name}")),
                "case_id": event.case_id,
                "guarantor_name": person.name[:200],
                "address": None,
                "starts_on": since,
                "ends_on": months_after(since, GUARANTEE_MONTHS),
                "source": "statutory",
            }
            for person in case.contacts
            if (person.relation or "").strip().lower() in GUARANTOR_RELATIONS
        ]
    record_case_copies(
        session, CASES, rows, refresh=IMPORTED_COLUMNS, keep_first=["limitation_ends_on"]
    )
    if facts:
        upsert(session, LimitationFact.__table__, facts, key=["case_id", "kind", "ref"])
    if guarantees:
        upsert(session, Guarantee.__table__, guarantees, key=["id"])


@batched
def on_case_assigned(items: Sequence[Handled[CaseAssigned | CaseReassigned]]) -> None:
    """Who works the case now: its first collector, and each one it is handed over to."""
    rows = [
        case_row(
            event,
            event.payload.client_id,
            total_owed=Decimal("0"),
            collector_id=event.payload.collector_id,
        )
        for _, event in items
    ]
    record_case_copies(items[0][0].session, CASES, rows, refresh=["collector_id"])


def on_case_updated(uow: UnitOfWork, event: Envelope[CaseUpdated]) -> None:
    """A later file or an adjustment: new amounts, name, address or overdue date (which
    moves the start of the limitation clock)."""
    case = uow.session.get(LetterCase, event.case_id) if event.case_id else None
    if case is None:
        return
    update, changes = event.payload, event.payload.changes
    if update.debt is not None:
        for name in ("total_owed", "principal", "interest", "penalty", "fees"):
            setattr(case, name, getattr(update.debt, name))
    for name, column in (("debtor_name", "debtor_name"), ("home_address", "address")):
        new_value = changes[name][1] if name in changes else None
        if new_value:
            setattr(case, column, new_value[:500])
    uow.session.add(case)
    since = _new_first_overdue(update)
    if since is not None:
        case.overdue_since = since
        uow.session.execute(
            delete(LimitationFact).where(
                col(LimitationFact.case_id) == case.id,
                col(LimitationFact.kind) == "default_known",
            )
        )
        record_fact(
            uow.session, case.id, since, "default_known", "overdue_since", "overdue since", uow.now
        )


def _new_first_overdue(update: Any) -> date | None:
    """The first overdue day a ``CaseUpdated`` moves the case to (shared.pastdue), if any;
    an event from before ``past_due`` was carried names only a new overdue date."""
    if update.past_due is not None:
        return first_overdue_of(update.past_due)
    new = update.changes.get("overdue_since", (None, None))[1]
    return date.fromisoformat(new[:10]) if new else None


def on_payment_received(uow: UnitOfWork, event: Envelope[PaymentReceived]) -> None:
    case = uow.session.get(LetterCase, event.case_id) if event.case_id else None
    if case is None:
        return
    paid = event.payload
    if case.last_paid_at is None or as_utc(paid.paid_at) > as_utc(case.last_paid_at):
        case.last_paid_at = paid.paid_at
        uow.session.add(case)
    on = to_local(paid.paid_at).date()
    note = f"part payment {paid.amount}"
    record_fact(uow.session, case.id, on, "payment_received", paid.transaction_ref, note, uow.now)


def on_payment_promised(uow: UnitOfWork, event: Envelope[PaymentPromised]) -> None:
    case = received_case(uow, event)
    if case is None:
        return
    promise = event.payload
    on = to_local(promise.promised_at).date()
    note = f"promise to pay {promise.amount} by {promise.due_on}"
    record_fact(uow.session, case.id, on, "payment_promised", promise.promise_id, note, uow.now)


def on_contact_attempted(uow: UnitOfWork, event: Envelope[ContactAttempted]) -> None:
    """After an "invoice not received" call, a statement (on the service's settings)."""
    statement_on_invoice_not_received(uow.context.settings_as(LettersSettings))(uow, event)


release_waiting_events = release_waiting(
    {PaymentPromised: on_payment_promised, ContactAttempted: on_contact_attempted}
)
"""Run after the case is stored: contact's promises and calls that came before it
(services/letters/waiting.py)."""
