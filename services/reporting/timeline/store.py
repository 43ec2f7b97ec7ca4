"""The timeline's one query: a case's entries in order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE


def entries_of(session: Session, case_id: str) -> list[Any]:
    """``(event_id, event_type, at, detail)`` of every event of the case, oldest first."""
    t = LIVE.timeline
    return list(
        session.execute(
            select(t.c.event_id, t.c.event_type, t.c.at, t.c.detail)
            .where(t.c.case_id == case_id)
            .order_by(t.c.at, t.c.event_id)
        )
    )
