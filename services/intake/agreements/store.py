"""Agreements' queries."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.intake.agreements.models import Agreement
from shared.pastdue import unknown_buckets


def get_agreement(session: Session, client_id: str, agreement_id: str) -> Agreement | None:
    found = session.get(Agreement, agreement_id)
    return found if found is not None and found.client_id == client_id else None


def agreement_by_number(session: Session, client_id: str, number: str) -> Agreement | None:
    return session.exec(
        select(Agreement).where(Agreement.client_id == client_id, Agreement.number == number)
    ).first()


def agreements_with_unknown_buckets(session: Session) -> list[tuple[str, str, list[str]]]:
    """(agreement id, client id, keys) for agreements with per-bucket rates whose keys
    are not buckets."""
    found = []
    for a in session.exec(select(Agreement).order_by(col(Agreement.id))).all():
        if keys := unknown_buckets(a.bucket_rates or {}):
            found.append((a.id, a.client_id, keys))
    return found


def agreements_of(session: Session, client_id: str) -> list[Agreement]:
    return list(
        session.exec(
            select(Agreement)
            .where(Agreement.client_id == client_id)
            .order_by(col(Agreement.start_date), col(Agreement.number))
        ).all()
    )
