"""Every query assignment makes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from services.assignment.models import AssignedCase, RoundRobinCursor, Staff
from shared.auth.principal import Role
from shared.db import upsert

PHONE_POOL = "phone"
CASES = AssignedCase.__table__


def active_phone_collectors(session: Session) -> dict[str, Staff]:
    return {
        member.id: member
        for member in session.exec(
            select(Staff).where(
                col(Staff.active).is_(True), Staff.role == Role.PHONE_COLLECTOR.value
            )
        )
    }


def cursor(session: Session) -> RoundRobinCursor:
    found = session.get(RoundRobinCursor, PHONE_POOL)
    return found or RoundRobinCursor(pool=PHONE_POOL)


def add_cases(session: Session, cases: Sequence[tuple[str, str]], now: datetime) -> None:
    """Our copy of each case, once; a case already known is left as it is."""
    upsert(
        session,
        CASES,
        [
            {"id": case_id, "client_id": client_id, "imported_at": now}
            for case_id, client_id in cases
        ],
        key=["id"],
    )


def holders(session: Session, case_ids: Sequence[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        rows = session.execute(
            sa_select(CASES.c.id, CASES.c.collector_id).where(CASES.c.id.in_(chunk))
        )
        found.update((case_id, collector_id) for case_id, collector_id in rows)
    return found


def set_holders(session: Session, holds: Sequence[tuple[str, str]], now: datetime) -> None:
    session.execute(
        update(CASES)
        .where(CASES.c.id == bindparam("case_id"))
        .values(collector_id=bindparam("collector_id"), assigned_at=now),
        [{"case_id": case_id, "collector_id": collector_id} for case_id, collector_id in holds],
    )


def unassigned_cases(session: Session, limit: int = 1000) -> list[tuple[str, str]]:
    return list(
        session.execute(
            sa_select(CASES.c.id, CASES.c.client_id)
            .where(CASES.c.collector_id.is_(None))
            .order_by(CASES.c.imported_at, CASES.c.id)
            .limit(limit)
        ).tuples()
    )


def list_staff(session: Session) -> list[Staff]:
    return list(session.exec(select(Staff).order_by(col(Staff.created_at), col(Staff.id))))


def staff_by_username(session: Session, username: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.username == username)).first()


def any_admin(session: Session) -> bool:
    return session.exec(select(Staff.id).where(Staff.role == Role.ADMIN.value)).first() is not None
