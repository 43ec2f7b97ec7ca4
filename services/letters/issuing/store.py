"""Issued letters in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from services.letters.issuing.models import Letter
from services.letters.letterheads.models import Letterhead
from services.letters.models import LetterCase
from shared.web.paging import keyset


def letter_of(session: Session, letter_id: str) -> Letter | None:
    return session.get(Letter, letter_id)


def letters_of(session: Session, case_id: str, limit: int, after: str | None) -> Sequence[Letter]:
    """A page of the case's letters, newest first, one more than ``limit`` when there are
    more (``shared.web.paging``)."""
    order = [
        cast(ColumnElement[Any], col(Letter.issued_at)),
        cast(ColumnElement[Any], col(Letter.id)),
    ]
    query = keyset(
        select(Letter).where(col(Letter.case_id) == case_id),
        order,
        limit,
        after,
        descending=True,
    )
    return session.execute(query).scalars().all()


def due_for_notice(session: Session, kind: str, cutoff: date, limit: int) -> Sequence[LetterCase]:
    """Cases overdue since ``cutoff`` or before, unpaid since, owing, with a letterhead and
    no letter of ``kind`` yet; the longest overdue first."""
    already = exists().where(col(Letter.case_id) == col(LetterCase.id), col(Letter.kind) == kind)
    with_head = exists().where(col(Letterhead.client_id) == col(LetterCase.client_id))
    return (
        session.execute(
            select(LetterCase)
            .where(
                col(LetterCase.overdue_since).is_not(None),
                col(LetterCase.overdue_since) <= cutoff,
                or_(
                    col(LetterCase.last_paid_at).is_(None),
                    col(LetterCase.last_paid_at) < col(LetterCase.overdue_since),
                ),
                col(LetterCase.total_owed) > 0,
                ~already,
                with_head,
            )
            .order_by(col(LetterCase.overdue_since), col(LetterCase.id))
            .limit(limit)
        )
        .scalars()
        .all()
    )
