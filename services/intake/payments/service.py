"""Payments a bank reports, one at a time or from a file: recorded once per transaction
reference and announced as ``PaymentReceived`` (and on the bank's emergency channel when
it asked). Never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.intake.cases.service import case_of
from services.intake.emergency.service import notify
from services.intake.payments import store
from services.intake.payments.models import Payment
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import Conflict
from shared.events.catalog import PaymentReceived


@dataclass(frozen=True)
class PaymentReport:
    account_ref: str
    transaction_ref: str
    amount: Decimal
    paid_at: datetime
    currency: str = "CNY"


def record_payment(
    uow: UnitOfWork, client_id: str, report: PaymentReport, *, source: str
) -> tuple[Payment, bool]:
    """Record a payment once per transaction reference; returns it and whether it is new.

    The same reference again with the same facts is the same payment (no second event);
    with a different amount, account or date it is a conflict.
    """
    earlier = store.payment_by_ref(uow.session, client_id, report.transaction_ref)
    if earlier is not None:
        same = (
            earlier.account_ref == report.account_ref
            and Decimal(earlier.amount) == report.amount
            and as_utc(earlier.paid_at) == as_utc(report.paid_at)
        )
        if not same:
            raise Conflict(
                f"transaction {report.transaction_ref} was reported before with other "
                f"details (amount {Decimal(earlier.amount):.2f}, account {earlier.account_ref})"
            )
        return earlier, False
    case = case_of(uow, client_id, report.account_ref)
    payment = Payment(
        id=str(uuid.uuid4()),
        client_id=client_id,
        case_id=case.id,
        account_ref=report.account_ref,
        transaction_ref=report.transaction_ref,
        amount=report.amount,
        currency=report.currency,
        paid_at=report.paid_at,
        received_at=uow.now,
        source=source,
    )
    uow.session.add(payment)
    uow.session.flush()
    received = uow.emit(
        PaymentReceived(
            client_id=client_id,
            account_ref=report.account_ref,
            transaction_ref=report.transaction_ref,
            amount=report.amount,
            currency=report.currency,
            paid_at=report.paid_at,
        ),
        case_id=case.id,
    )
    notify(uow.session, uow.now, [received])
    return payment, True
