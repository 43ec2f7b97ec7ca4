"""Contact's copy of each case, read: one case, and queries kept to the cases a reader
oversees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from services.contact.models import SECURITY, ContactCase
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Principal

VISIBILITY = SECURITY.case_visibility
_CASE = select(ContactCase).where(ContactCase.id == bindparam("case_id"))


def case(session: Session, case_id: str) -> ContactCase | None:
    return session.execute(_CASE, {"case_id": case_id}).scalar()


def overseen(query: Select[Any], principal: Principal) -> Select[Any]:
    """``query`` over ``ContactCase`` kept to the cases ``principal`` oversees: their team,
    their branch, or all."""
    if principal.role in EVERYTHING:
        return query
    joined = query.join(VISIBILITY, VISIBILITY.c.case_id == ContactCase.id)
    if principal.role in TEAM_WIDE:
        return joined.where(VISIBILITY.c.team_id == principal.team_id)
    return joined.where(VISIBILITY.c.branch_id == principal.branch_id)
