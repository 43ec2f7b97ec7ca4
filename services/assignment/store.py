"""Every query assignment makes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.assignment.models import AssignedCase, RoundRobinCursor, Staff
from shared.auth.principal import Role

PHONE_POOL = "phone"


def active_phone_collector_ids(session: Session) -> list[str]:
    return list(
        session.exec(
            select(Staff.id).where(
                col(Staff.active).is_(True), Staff.role == Role.PHONE_COLLECTOR.value
            )
        )
    )


def cursor(session: Session) -> RoundRobinCursor:
    found = session.get(RoundRobinCursor, PHONE_POOL)
    return found or RoundRobinCursor(pool=PHONE_POOL)


def unassigned_cases(session: Session, limit: int = 1000) -> list[AssignedCase]:
    return list(
        session.exec(
            select(AssignedCase)
            .where(col(AssignedCase.collector_id).is_(None))
            .order_by(col(AssignedCase.imported_at), col(AssignedCase.id))
            .limit(limit)
        )
    )


def list_staff(session: Session) -> list[Staff]:
    return list(session.exec(select(Staff).order_by(col(Staff.created_at), col(Staff.id))))


def staff_by_username(session: Session, username: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.username == username)).first()


def any_admin(session: Session) -> bool:
    return session.exec(select(Staff.id).where(Staff.role == Role.ADMIN.value)).first() is not None
