"""What a bank tells us after the file: payments, recalls, balance adjustments.
Use cases: they never commit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.intake import domain, store
from services.intake.emergency.service import notify
from services.intake.models import Case, Payment
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import CaseRecalled, CaseUpdated, Debt, PastDue, PaymentReceived


@dataclass(frozen=True)
class PaymentReport:
    account_ref: str
    transaction_ref: str
    amount: Decimal
    paid_at: datetime
    currency: str = "CNY"


def _case(uow: UnitOfWork, client_id: str, account_ref: str) -> Case:
    case = store.case_by_account(uow.session, client_id, account_ref)
    if case is None:
        raise NotFound("case")
    return case


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
    case = _case(uow, client_id, report.account_ref)
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


def recall(uow: UnitOfWork, client_id: str, account_ref: str, reason: str | None) -> Case:
    """Withdraw a case from collection; recalling it again changes nothing."""
    case = _case(uow, client_id, account_ref)
    if case.state == "recalled":
        return case
    case.state, case.recalled_at, case.recall_reason = "recalled", uow.now, reason
    case.updated_at = uow.now
    uow.session.add(case)
    uow.emit(
        CaseRecalled(client_id=client_id, account_ref=account_ref, reason=reason),
        case_id=case.id,
    )
    return case


def adjust(
    uow: UnitOfWork, client_id: str, account_ref: str, amounts: dict[str, Decimal]
) -> tuple[Case, bool]:
    """Set the amounts given; the total follows the parts when it is not given itself.
    Emits ``CaseUpdated`` with what changed, and nothing when nothing did."""
    case = _case(uow, client_id, account_ref)
    if case.state == "recalled":
        raise Conflict("the case was recalled; its balance is no longer adjusted")
    current = {name: Decimal(getattr(case, name) or 0) for name in domain.AMOUNTS}
    try:
        new = domain.adjusted(current, amounts)
    except ValueError as exc:
        raise ProblemError(422, str(exc)) from exc
    changes = domain.amount_changes(current, new)
    if not changes:
        return case, False
    apply_changes(uow, case, changes, new, batch_id=None)
    return case, True


def apply_changes(
    uow: UnitOfWork,
    case: Case,
    changes: domain.Changes,
    new_values: dict[str, Any],
    *,
    batch_id: str | None,
) -> None:
    """Set the changed fields and announce them as one ``CaseUpdated``."""
    for name in changes:
        setattr(case, name, new_values[name])
    case.updated_at = uow.now
    if batch_id is not None:
        case.last_batch_id = batch_id
    uow.session.add(case)
    uow.emit(
        CaseUpdated(
            client_id=case.client_id,
            account_ref=case.account_ref,
            batch_id=batch_id,
            changes=changes,
            debt=debt_of(case) if any(a in changes for a in domain.AMOUNTS) else None,
            past_due=past_due_of(case)
            if any(f in changes for f in domain.PAST_DUE_FIELDS)
            else None,
        ),
        case_id=case.id,
    )


def past_due_of(case: Case) -> PastDue:
    return PastDue(
        overdue_since=case.overdue_since,
        days_past_due=case.days_past_due,
        days_past_due_on=case.days_past_due_on,
    )


def debt_of(case: Case) -> Debt:
    return Debt(
        currency=case.currency,
        principal=Decimal(case.principal or 0),
        interest=Decimal(case.interest or 0),
        penalty=Decimal(case.penalty or 0),
        fees=Decimal(case.fees or 0),
        total_owed=Decimal(case.total_owed),
    )
