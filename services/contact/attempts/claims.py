"""'Already paid': the claim is kept, and a re-check falls due two working days after the
call (the bank reports payments on working days) unless the client reports a payment that
matches it (same amount, paid no earlier than the day before the date the debtor gave).
A re-check counted on an estimated year is recounted when that year's schedule arrives."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from services.contact.attempts import store
from services.contact.attempts.domain import PAYMENT_RECHECK_WORKDAYS
from services.contact.attempts.models import FollowUp, PaymentClaim
from services.contact.models import WORKDAYS
from services.contact.promises.service import payments_of
from shared.bus.work import UnitOfWork
from shared.clock import SHANGHAI, as_utc
from shared.events import Envelope
from shared.events.catalog import WorkdayCalendarLoaded
from shared.workdays.tables import load_calendar


def _matches(claim: PaymentClaim, amount: Decimal, paid_at: datetime) -> bool:
    paid_on = as_utc(paid_at).astimezone(SHANGHAI).date()
    return Decimal(claim.amount) == amount and paid_on >= claim.paid_on - timedelta(days=1)


def open_claim(uow: UnitOfWork, claim: PaymentClaim, said_at: datetime) -> FollowUp:
    """The claim and its re-check, two working days after the call where it was made."""
    calendar = load_calendar(uow.session, WORKDAYS)
    recheck = calendar.add_workdays(said_at, PAYMENT_RECHECK_WORKDAYS)
    claim.recheck_due_at = recheck.due
    follow_up = FollowUp(
        id=str(uuid.uuid4()),
        case_id=claim.case_id,
        attempt_id=claim.attempt_id,
        kind="payment_recheck",
        due_at=recheck.due,
        due_estimated=recheck.estimated,
        detail=f"debtor says {claim.amount} was paid on {claim.paid_on} via {claim.bank}",
    )
    uow.session.add_all([claim, follow_up])
    for payment in payments_of(uow.session, claim.case_id):
        if _matches(claim, Decimal(payment.amount), payment.paid_at):
            _close(uow, claim, follow_up, payment.transaction_ref)
            break
    return follow_up


def match_payment(
    uow: UnitOfWork, case_id: str, ref: str, amount: Decimal, paid_at: datetime
) -> None:
    for claim in store.unmatched_claims(uow.session, case_id):
        if _matches(claim, amount, paid_at):
            _close(uow, claim, store.recheck_of(uow.session, claim.attempt_id), ref)
            return


def _close(uow: UnitOfWork, claim: PaymentClaim, follow_up: FollowUp | None, ref: str) -> None:
    claim.matched_transaction_ref = ref
    if follow_up is not None and follow_up.status == "open":
        follow_up.status, follow_up.closed_at = "done", uow.now
        follow_up.detail = f"{follow_up.detail}; payment {ref} arrived"


def recount_rechecks(uow: UnitOfWork, event: Envelope[WorkdayCalendarLoaded]) -> None:
    """Every open re-check counted on an estimate, counted again from its call on the
    calendar as it now stands (the handler that stores the year runs first), unflagged
    where the loaded years settle it."""
    session = uow.session
    calendar = load_calendar(session, WORKDAYS)
    for follow_up, said_at, claim in store.estimated_rechecks(session):
        recheck = calendar.add_workdays(as_utc(said_at), PAYMENT_RECHECK_WORKDAYS)
        follow_up.due_at, follow_up.due_estimated = recheck.due, recheck.estimated
        claim.recheck_due_at = recheck.due
