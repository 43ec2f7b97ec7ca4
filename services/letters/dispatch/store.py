"""Letters' mailings and delivery outcomes in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import Session
from sqlmodel import col

from services.letters.dispatch.models import Delivery, Dispatch
from services.letters.issuing.models import Letter


def dispatch_of(session: Session, letter_id: str) -> Dispatch | None:
    return session.get(Dispatch, letter_id)


def delivery_of(session: Session, letter_id: str) -> Delivery | None:
    return session.get(Delivery, letter_id)


def estimated_deadlines(session: Session) -> Sequence[Row[Delivery, date, str]]:
    """Deliveries whose deadline was counted on an estimated year, with the mailing day
    and the letter's kind."""
    return session.execute(
        select(Delivery, col(Dispatch.mailed_on), col(Letter.kind))
        .join(Dispatch, col(Dispatch.letter_id) == col(Delivery.letter_id))
        .join(Letter, col(Letter.id) == col(Delivery.letter_id))
        .where(col(Delivery.deadline_estimated).is_(True))
    ).all()
