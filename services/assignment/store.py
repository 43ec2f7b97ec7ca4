"""Every query assignment makes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.assignment.models import AssignedCase, Collector, RoundRobinCursor

PHONE_POOL = "phone"


def active_phone_collector_ids(session: Session) -> list[str]:
    return list(
        session.exec(
            select(Collector.id).where(
                col(Collector.active).is_(True), Collector.role == "phone_collector"
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


def list_collectors(session: Session) -> list[Collector]:
    return list(session.exec(select(Collector).order_by(col(Collector.created_at))))
