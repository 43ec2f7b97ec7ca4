"""The queue of cases nobody could take, and the 1-business-day clock's counts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from services.assignment.models import AssignedCase

CASES = AssignedCase.__table__


def _in_teams(teams: Collection[str] | None) -> list[Any]:
    if teams is None:
        return []
    return [or_(CASES.c.team_id.in_(list(teams)), CASES.c.team_id.is_(None))]


def waiting_cases(
    session: Session, teams: Collection[str] | None, limit: int, offset: int
) -> list[Any]:
    """Oldest deadline first; ``teams`` limits to those teams' and unrouted cases."""
    return list(
        session.execute(
            select(CASES)
            .where(CASES.c.collector_id.is_(None), CASES.c.closed_at.is_(None), *_in_teams(teams))
            .order_by(CASES.c.assign_due_by, CASES.c.id)
            .limit(limit)
            .offset(offset)
        )
    )


def clock_counts(session: Session, teams: Collection[str] | None, now: datetime) -> dict[str, int]:
    waiting = and_(CASES.c.collector_id.is_(None), CASES.c.closed_at.is_(None))
    due = CASES.c.assign_due_by
    row = session.execute(
        select(
            func.count().filter(waiting),
            func.count().filter(waiting, due < now),
            func.count().filter(CASES.c.collector_id.is_not(None), CASES.c.assigned_at > due),
        ).where(*_in_teams(teams))
    ).one()
    return {"waiting": row[0], "waiting_past_due": row[1], "assigned_late": row[2]}
