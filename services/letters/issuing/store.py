"""Issued letters in the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from services.letters.issuing.models import Letter
from shared.web.paging import keyset


def letter_of(session: Session, letter_id: str) -> Letter | None:
    return session.get(Letter, letter_id)


def letters_of(session: Session, case_id: str, limit: int, after: str | None) -> Sequence[Letter]:
    """A page of the case's letters, newest first, one more than ``limit`` when there are
    more (``shared.web.paging``)."""
    order = [col(Letter.issued_at), col(Letter.id)]
    query = keyset(
        select(Letter).where(Letter.case_id == case_id),  # type: ignore[arg-type]
        order,
        limit,
        after,
        descending=True,
    )
    return session.execute(query).scalars().all()
