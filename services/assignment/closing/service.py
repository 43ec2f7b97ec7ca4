"""Closing a case: paid in full, recalled by the client, or written off once approved.
Never commits: the boundary does."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services.assignment.blacklist import store as blacklist
from services.assignment.closing.domain import Outcome, days_overdue, goes_on_blacklist
from services.assignment.closing.models import CaseBalance
from services.assignment.models import AssignedCase, Staff
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.errors import NotFound
from shared.events.catalog import CaseClosed


def close_case(
    uow: UnitOfWork,
    case_id: str,
    outcome: Outcome | str,
    reason: str,
    *,
    at: datetime | None = None,
) -> bool:
    """Close an open case for ``outcome`` (e.g. ``written_off`` when a write-off is
    approved): the holder's open-case count drops, a settled long-overdue debtor goes on
    the blacklist, and ``CaseClosed`` is announced with the reason. Returns False for a
    case already closed (nothing changes); an unknown case is 404."""
    outcome = Outcome(outcome)
    session = uow.session
    case = session.get(AssignedCase, case_id)
    if case is None:
        raise NotFound("case")
    if case.closed_at is not None:
        return False
    closed_at = at or uow.now
    case.closed_at, case.close_outcome, case.close_reason = closed_at, outcome.value, reason[:500]
    session.add(case)
    _free_capacity(session, case.collector_id)
    _blacklist_if_due(session, case, outcome, closed_at)
    uow.emit(
        CaseClosed(
            client_id=case.client_id, outcome=outcome.value, closed_at=closed_at, reason=reason
        ),
        case_id=case_id,
    )
    return True


def _free_capacity(session: Session, collector_id: str | None) -> None:
    holder = session.get(Staff, collector_id) if collector_id else None
    if holder is not None:
        holder.open_cases = max(0, holder.open_cases - 1)
        session.add(holder)


def _blacklist_if_due(
    session: Session, case: AssignedCase, outcome: Outcome, closed_at: datetime
) -> None:
    balance = session.get(CaseBalance, case.id)
    if balance is None or balance.debtor_key is None:
        return
    days = days_overdue(balance.overdue_since, to_local(closed_at).date())
    if days is None or not goes_on_blacklist(outcome, days):
        return
    blacklist.add(
        session,
        [
            {
                "debtor_key": balance.debtor_key,
                "client_id": case.client_id,
                "case_id": case.id,
                "outcome": outcome.value,
                "days_overdue": days,
                "settled_at": closed_at,
            }
        ],
    )
