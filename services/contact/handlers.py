"""Contact keeps its own copy of each case and of who works it."""

from __future__ import annotations

from typing import Any

from services.contact.models import ContactCase
from shared.bus.handlers import HandlerTable
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned


def on_case_imported(uow: UnitOfWork, event: Envelope[Any]) -> None:
    payload: CaseImported = event.payload
    case = uow.session.get(ContactCase, event.case_id) or ContactCase(
        id=event.case_id, client_id=payload.client_id, received_at=event.occurred_at
    )
    phones = {p.number for p in payload.debtor.phones}
    case.phone_count = len(phones)
    uow.session.add(case)


def on_case_assigned(uow: UnitOfWork, event: Envelope[Any]) -> None:
    """Assignment may overtake import (two topics): keep the collector either way."""
    payload: CaseAssigned | CaseReassigned = event.payload
    case = uow.session.get(ContactCase, event.case_id) or ContactCase(
        id=event.case_id, client_id=payload.client_id, received_at=event.occurred_at
    )
    case.collector_id = payload.collector_id
    uow.session.add(case)


HANDLERS: HandlerTable = {
    CaseImported: [on_case_imported],
    CaseAssigned: [on_case_assigned],
    CaseReassigned: [on_case_assigned],
}
