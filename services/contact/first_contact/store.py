"""The first-contact clock across the cases a supervisor oversees."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.contact.cases.store import overseen
from services.contact.models import ContactCase
from shared.auth.principal import Principal

_COUNT = select(func.count()).select_from(ContactCase)


def first_attempts(session: Session, principal: Principal) -> int:
    query = _COUNT.where(ContactCase.first_attempt_at.is_not(None))
    return session.execute(overseen(query, principal)).scalar_one()


def late_first_attempts(session: Session, principal: Principal) -> int:
    query = _COUNT.where(ContactCase.first_attempt_late.is_(True))
    return session.execute(overseen(query, principal)).scalar_one()


def overdue_without_attempt(session: Session, principal: Principal, now: datetime) -> list[str]:
    """Cases past their first-contact deadline with no attempt yet, the longest overdue
    first."""
    query = (
        select(ContactCase.id)
        .where(ContactCase.first_attempt_at.is_(None), ContactCase.first_contact_due_at <= now)
        .order_by(ContactCase.first_contact_due_at)
    )
    return list(session.execute(overseen(query, principal)).scalars())
