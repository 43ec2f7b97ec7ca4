"""Every event feeds the tally; the case events also feed the case facts."""

from __future__ import annotations

from typing import Any

from services.reporting.models import CaseFact, EventTally
from shared.bus.handlers import HandlerTable, merge_tables
from shared.bus.work import UnitOfWork
from shared.events import EVENT_TYPES, Envelope
from shared.events.catalog import CaseAssigned, CaseImported


def tally(uow: UnitOfWork, event: Envelope[Any]) -> None:
    row = uow.session.get(EventTally, event.type) or EventTally(event_type=event.type)
    row.count += 1
    row.last_seen_at = event.occurred_at
    uow.session.add(row)


def _fact(uow: UnitOfWork, case_id: str, client_id: str) -> CaseFact:
    return uow.session.get(CaseFact, case_id) or CaseFact(case_id=case_id, client_id=client_id)


def on_case_imported(uow: UnitOfWork, event: Envelope[Any]) -> None:
    payload: CaseImported = event.payload
    fact = _fact(uow, _case_id(event), payload.client_id)
    fact.imported_at = event.occurred_at
    uow.session.add(fact)


def on_case_assigned(uow: UnitOfWork, event: Envelope[Any]) -> None:
    """Events of two topics may arrive in either order; the fact row takes both."""
    payload: CaseAssigned = event.payload
    fact = _fact(uow, _case_id(event), payload.client_id)
    fact.assigned_at = fact.assigned_at or payload.assigned_at
    fact.collector_id = payload.collector_id
    uow.session.add(fact)


def _case_id(event: Envelope[Any]) -> str:
    if not event.case_id:
        raise ValueError(f"{event.type} without case_id")
    return event.case_id


HANDLERS: HandlerTable = merge_tables(
    {CaseImported: [on_case_imported], CaseAssigned: [on_case_assigned]},
    {payload_type: [tally] for payload_type in EVENT_TYPES.values()},
)
