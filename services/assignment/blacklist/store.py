"""The blacklist's queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from services.assignment.blacklist.models import BlacklistEntry
from shared.db import upsert

BLACKLIST = BlacklistEntry.__table__


def add(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """``{debtor_key, client_id, case_id, outcome, days_overdue, settled_at}`` each; a case
    listed before stays as it was."""
    upsert(session, BLACKLIST, rows, key=["case_id"])


def entries(session: Session, debtor_key: str, client_id: str | None) -> list[Any]:
    """The debtor's entries, oldest first; ``client_id`` limits them to that client's."""
    query = select(BLACKLIST).where(BLACKLIST.c.debtor_key == debtor_key)
    if client_id is not None:
        query = query.where(BLACKLIST.c.client_id == client_id)
    return list(session.execute(query.order_by(BLACKLIST.c.settled_at, BLACKLIST.c.id)))
