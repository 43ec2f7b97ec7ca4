"""Approvals' queries."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from services.assignment.approvals.domain import Status
from services.assignment.approvals.models import Approval


def of_case(session: Session, case_id: str) -> Sequence[Approval]:
    """Oldest first."""
    return session.exec(
        select(Approval)
        .where(Approval.case_id == case_id)
        .order_by(col(Approval.requested_at), col(Approval.id))
    ).all()


def in_state(
    session: Session, state: Status, teams: Collection[str] | None, limit: int
) -> Sequence[Approval]:
    """Oldest first; ``teams`` None: every team's."""
    query = select(Approval).where(Approval.status == state.value)
    if teams is not None:
        query = query.where(col(Approval.team_id).in_(sorted(teams) or [""]))
    return session.exec(
        query.order_by(col(Approval.requested_at), col(Approval.id)).limit(limit)
    ).all()
