"""The queries behind the service's own small routes (case counts, event tally)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE


def case_counts_by_client(
    session: Session, client_id: str | None = None
) -> list[tuple[str, int, int]]:
    c = LIVE.cases
    query = (
        select(c.c.client_id, func.count(c.c.imported_at), func.count(c.c.first_assigned_at))
        .where(c.c.client_id.is_not(None))
        .group_by(c.c.client_id)
        .order_by(c.c.client_id)
    )
    if client_id is not None:
        query = query.where(c.c.client_id == client_id)
    return [(cl, int(i), int(a)) for cl, i, a in session.execute(query)]


def event_tallies(session: Session) -> list[Any]:
    t = LIVE.event_tally
    return list(session.execute(select(t).order_by(t.c.event_type)))
