"""Every query assignment makes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.assignment.models import Staff
from shared.auth.principal import Role
from shared.web.paging import keyset, page


def page_staff(session: Session, limit: int, after: str | None) -> tuple[list[Staff], str | None]:
    """Staff in the order they were added."""
    order = [col(Staff.created_at), col(Staff.id)]
    rows = session.exec(keyset(select(Staff), order, limit, after)).all()
    return page(rows, limit, lambda m: (m.created_at, m.id))


def staff_by_username(session: Session, username: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.username == username)).first()


def any_admin(session: Session) -> bool:
    return session.exec(select(Staff.id).where(Staff.role == Role.ADMIN.value)).first() is not None
