"""Every query assignment makes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.assignment.models import Staff
from shared.auth.principal import Role


def list_staff(session: Session) -> list[Staff]:
    return list(session.exec(select(Staff).order_by(col(Staff.created_at), col(Staff.id))))


def staff_by_username(session: Session, username: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.username == username)).first()


def any_admin(session: Session) -> bool:
    return session.exec(select(Staff.id).where(Staff.role == Role.ADMIN.value)).first() is not None
