"""Field visits' queries."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from services.assignment.field_visits.domain import OPEN, VisitStatus
from services.assignment.field_visits.models import FieldVisit


def _scoped(collector_id: str | None, teams: Collection[str] | None, supervisor_id: str) -> Any:
    """A collector's own visits (field or phone); else the teams' and those filed with the
    supervisor; ``teams`` None: every visit."""
    query = select(FieldVisit)
    if collector_id is not None:
        return query.where(
            (FieldVisit.field_collector_id == collector_id)
            | (FieldVisit.phone_collector_id == collector_id)
        )
    if teams is not None:
        return query.where(
            col(FieldVisit.team_id).in_(sorted(teams) or [""])
            | (FieldVisit.supervisor_id == supervisor_id)
        )
    return query


def _soonest_due(session: Session, query: Any, limit: int) -> Sequence[FieldVisit]:
    return session.exec(
        query.order_by(col(FieldVisit.due_by), col(FieldVisit.id)).limit(limit)
    ).all()


def visits(
    session: Session,
    scope: tuple[str | None, Collection[str] | None, str],
    now: datetime,
    state: VisitStatus | None,
    overdue: bool | None,
    limit: int,
) -> Sequence[FieldVisit]:
    """Soonest due first. ``scope``: (own collector id, teams, supervisor id), as ``_scoped``."""
    query = _scoped(*scope)
    if state is not None:
        query = query.where(FieldVisit.status == state.value)
    if overdue is not None:
        late = col(FieldVisit.status).in_([s.value for s in OPEN]) & (col(FieldVisit.due_by) < now)
        query = query.where(late if overdue else ~late)
    return _soonest_due(session, query, limit)


def reported_or_overdue(
    session: Session,
    scope: tuple[str | None, Collection[str] | None, str],
    since: datetime,
    now: datetime,
    limit: int,
) -> Sequence[FieldVisit]:
    """Visits reported since ``since`` and every open one past due, soonest due first."""
    open_states = [s.value for s in OPEN]
    query = _scoped(*scope).where(
        or_(
            col(FieldVisit.reported_at) >= since,
            col(FieldVisit.status).in_(open_states) & (col(FieldVisit.due_by) < now),
        )
    )
    return _soonest_due(session, query, limit)
