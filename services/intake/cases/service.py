"""What a bank tells us about a case after the file: recalls and balance adjustments, and
how a change to a case is announced (``CaseUpdated``). Use cases: they never commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.intake.cases import domain, store
from services.intake.cases.models import Case
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import CaseRecalled, CaseUpdated, Debt, PastDue


def case_of(uow: UnitOfWork, client_id: str, account_ref: str) -> Case:
    case = store.case_by_account(uow.session, client_id, account_ref)
    if case is None:
        raise NotFound("case")
    return case


def recall(uow: UnitOfWork, client_id: str, account_ref: str, reason: str | None) -> Case:
    """Withdraw a case from collection; recalling it again changes nothing."""
    case = case_of(uow, client_id, account_ref)
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
    case = case_of(uow, client_id, account_ref)
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
