"""Each service's own copy of who may see a case, fed by intake's and assignment's events
(``on_imported``, ``on_assigned``: first in every consuming service's table for them)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from shared.auth.policy import CaseScope
from shared.bus.handlers import Handled, batched
from shared.db import upsert
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned


@cache
def _scope_of(table: Table) -> Select[Any]:
    """One statement per table, built once: every request of every service asks it, and
    building it (and its cache key) cost more than running it."""
    return select(table).where(table.c.case_id == bindparam("case_id"))


def case_scope(session: Session, table: Table, case_id: str) -> CaseScope | None:
    row = session.execute(_scope_of(table), {"case_id": case_id}).first()
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


@batched
def on_imported(items: Sequence[Handled[CaseImported]]) -> None:
    """The case's client, one set-based write per run; runs before a service's own."""
    uow = items[0][0]
    rows = [
        {"case_id": event.case_id, "client_id": event.payload.client_id}
        for _, event in items
        if event.case_id
    ]
    upsert(
        uow.session,
        uow.context.security.case_visibility,
        rows,
        key=["case_id"],
        changes=lambda new: {"client_id": new.client_id},
    )


@batched
def on_assigned(items: Sequence[Handled[CaseAssigned | CaseReassigned]]) -> None:
    """Who works the case now (collector, team, branch); runs before a service's own."""
    uow = items[0][0]
    rows = [
        {
            "case_id": event.case_id,
            "client_id": event.payload.client_id,
            "collector_id": event.payload.collector_id,
            "team_id": event.payload.team_id,
            "branch_id": event.payload.branch_id,
        }
        for _, event in items
        if event.case_id
    ]
    upsert(
        uow.session, uow.context.security.case_visibility, rows, key=["case_id"], changes=_holder
    )


def _holder(new: Any) -> dict[str, Any]:
    return {
        "client_id": new.client_id,
        "collector_id": new.collector_id,
        "team_id": new.team_id,
        "branch_id": new.branch_id,
    }
