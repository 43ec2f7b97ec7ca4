"""Handovers' queries."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from services.assignment.handover.models import Handover, HandoverCase


def handover(session: Session, handover_id: str) -> Handover | None:
    return session.get(Handover, handover_id)


def handed_cases(session: Session, handover_id: str) -> Sequence[HandoverCase]:
    return session.exec(
        select(HandoverCase)
        .where(HandoverCase.handover_id == handover_id)
        .order_by(col(HandoverCase.case_id))
    ).all()


def latest(session: Session, teams: Collection[str] | None, limit: int) -> Sequence[Handover]:
    """Newest first; ``teams`` None: every team's."""
    query = select(Handover)
    if teams is not None:
        query = query.where(col(Handover.team_id).in_(sorted(teams) or [""]))
    return session.exec(
        query.order_by(col(Handover.at).desc(), col(Handover.id)).limit(limit)
    ).all()
