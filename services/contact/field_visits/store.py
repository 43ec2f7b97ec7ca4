"""Visit orders: one, those ordered from a field collector, and a case's."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.contact.field_visits.models import FieldVisit


def visit(session: Session, visit_id: str) -> FieldVisit | None:
    return session.get(FieldVisit, visit_id)


def ordered_from(
    session: Session, field_collector_id: str, limit: int = 500
) -> Sequence[FieldVisit]:
    """The visits ordered from the field collector, the soonest due first."""
    return (
        session.execute(
            select(FieldVisit)
            .where(FieldVisit.field_collector_id == field_collector_id)
            .order_by(FieldVisit.due_by)
            .limit(limit)
        )
        .scalars()
        .all()
    )


def visits_of(session: Session, case_id: str) -> Sequence[FieldVisit]:
    """The case's visits in the order they were ordered."""
    return (
        session.execute(
            select(FieldVisit).where(FieldVisit.case_id == case_id).order_by(FieldVisit.ordered_at)
        )
        .scalars()
        .all()
    )
