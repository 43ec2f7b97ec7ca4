"""Every query reporting makes."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.reporting.models import CaseFact, EventTally


def case_counts_by_client(
    session: Session, client_id: str | None = None
) -> list[tuple[str, int, int]]:
    query = (
        select(
            CaseFact.client_id,
            func.count(col(CaseFact.imported_at)),
            func.count(col(CaseFact.assigned_at)),
        )
        .group_by(col(CaseFact.client_id))
        .order_by(col(CaseFact.client_id))
    )
    if client_id is not None:
        query = query.where(CaseFact.client_id == client_id)
    return [(c, int(i), int(a)) for c, i, a in session.exec(query)]


def event_tallies(session: Session) -> list[EventTally]:
    return list(session.exec(select(EventTally).order_by(col(EventTally.event_type))))
