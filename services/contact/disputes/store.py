"""A case's disputes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contact.disputes.models import Dispute


def disputes_of(session: Session, case_id: str) -> Sequence[Dispute]:
    """The case's disputes, the latest raised first."""
    return (
        session.execute(
            select(Dispute).where(Dispute.case_id == case_id).order_by(Dispute.raised_at.desc())
        )
        .scalars()
        .all()
    )


def dispute(session: Session, dispute_id: str) -> Dispute | None:
    return session.get(Dispute, dispute_id)
