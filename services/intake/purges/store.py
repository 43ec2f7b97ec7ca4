"""The purge's queries: whether a client was purged before, and its agreements' ends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from services.intake.agreements.models import Agreement
from services.intake.models import PURGE_RUNS


def earlier_purge(session: Session, client_id: str) -> str | None:
    """The purge this client already had, if any."""
    found = session.execute(
        select(PURGE_RUNS.c.purge_id).where(PURGE_RUNS.c.client_id == client_id)
    ).first()
    return None if found is None else str(found.purge_id)


def agreement_ends(session: Session, client_id: str) -> list[tuple[str, date]]:
    """(agreement id, end date) of each of the client's agreements."""
    found = session.execute(
        select(Agreement.id, Agreement.end_date).where(Agreement.client_id == client_id)
    ).all()
    return [(a.id, a.end_date) for a in found]
