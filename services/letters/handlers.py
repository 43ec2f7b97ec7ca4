"""Letters keeps its own copy of each case: amount owed, overdue date, who works it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.letters.models import LetterCase
from shared.bus.handlers import HandlerTable
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import CaseAssigned, CaseImported


def _case(uow: UnitOfWork, event: Envelope[Any], client_id: str) -> LetterCase:
    return uow.session.get(LetterCase, event.case_id) or LetterCase(
        id=event.case_id,
        client_id=client_id,
        total_owed=Decimal("0"),
        received_at=event.occurred_at,
    )


def on_case_imported(uow: UnitOfWork, event: Envelope[Any]) -> None:
    payload: CaseImported = event.payload
    case = _case(uow, event, payload.client_id)
    case.total_owed = payload.debt.total_owed
    case.overdue_since = payload.overdue_since
    uow.session.add(case)


def on_case_assigned(uow: UnitOfWork, event: Envelope[Any]) -> None:
    payload: CaseAssigned = event.payload
    case = _case(uow, event, payload.client_id)
    case.collector_id = payload.collector_id
    uow.session.add(case)


HANDLERS: HandlerTable = {
    CaseImported: [on_case_imported],
    CaseAssigned: [on_case_assigned],
}
