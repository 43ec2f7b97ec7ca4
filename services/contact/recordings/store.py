"""A case's recordings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contact.recordings.models import Recording


def recording(session: Session, case_id: str, sha256: str) -> Recording | None:
    return session.get(Recording, (case_id, sha256))


def recordings_of(session: Session, case_id: str, limit: int = 500) -> Sequence[Recording]:
    """The case's recordings, the latest uploaded first."""
    return (
        session.execute(
            select(Recording)
            .where(Recording.case_id == case_id)
            .order_by(Recording.uploaded_at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
