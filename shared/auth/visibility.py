"""Each service's own copy of who may see a case, fed by intake's and assignment's events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from shared.auth.policy import CaseScope
from shared.bus.handlers import HandlerTable
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned


def case_scope(session: Session, table: Table, case_id: str) -> CaseScope | None:
    row = session.execute(select(table).where(table.c.case_id == case_id)).first()
    if row is None:
        return None
    return CaseScope(
        case_id=row.case_id,
        client_id=row.client_id,
        collector_id=row.collector_id,
        team_id=row.team_id,
        branch_id=row.branch_id,
    )


def record_scope(session: Session, table: Table, case_id: str, **values: str | None) -> None:
    """Insert or update the case's ownership row with the values given (others untouched)."""
    exists = session.execute(select(table.c.case_id).where(table.c.case_id == case_id)).first()
    if exists:
        if values:
            session.execute(table.update().where(table.c.case_id == case_id).values(**values))
    else:
        session.execute(table.insert().values(case_id=case_id, **values))


def visibility_handlers(table: Table) -> HandlerTable:
    """Handlers that keep ``case_visibility`` current; they run before a service's own."""

    def on_imported(uow: UnitOfWork, event: Envelope[Any]) -> None:
        if event.case_id:
            record_scope(uow.session, table, event.case_id, client_id=event.payload.client_id)

    def on_assigned(uow: UnitOfWork, event: Envelope[Any]) -> None:
        p = event.payload
        if event.case_id:
            record_scope(
                uow.session,
                table,
                event.case_id,
                client_id=p.client_id,
                collector_id=p.collector_id,
                team_id=p.team_id,
                branch_id=p.branch_id,
            )

    return {CaseImported: [on_imported], CaseAssigned: [on_assigned], CaseReassigned: [on_assigned]}
