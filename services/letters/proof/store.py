"""Letters' proof files in the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from services.letters.proof.models import EvidenceFile


def evidence_of(session: Session, letter_id: str) -> Sequence[EvidenceFile]:
    return (
        session.execute(
            select(EvidenceFile)
            .where(col(EvidenceFile.letter_id) == letter_id)
            .order_by(col(EvidenceFile.id))
        )
        .scalars()
        .all()
    )


def evidence_named(session: Session, letter_id: str, kind: str, sha256: str) -> EvidenceFile | None:
    """The letter's proof of that kind with exactly that content, if it was uploaded."""
    return session.execute(
        select(EvidenceFile).where(
            col(EvidenceFile.letter_id) == letter_id,
            col(EvidenceFile.kind) == kind,
            col(EvidenceFile.sha256) == sha256,
        )
    ).scalar()
