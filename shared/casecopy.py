"""A service's local copy of each case, kept from intake's and assignment's events.

Import and assignment travel on two topics and the broker orders nothing across topics,
so whichever event comes first creates the row (with what it knows) and later ones add
their columns. Contact and letters keep such copies; this is the one way they write them:
one set-based upsert per run of events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.orm import Session

from shared.db import upsert
from shared.events import Envelope


def case_row(event: Envelope[Any], client_id: str, **columns: Any) -> dict[str, Any]:
    """The copy's row from one event: the case's id, its client, when it was first heard
    of (the event's time), and the ``columns`` this event knows."""
    return {"id": event.case_id, "client_id": client_id, "received_at": event.occurred_at} | (
        columns
    )


def record_case_copies(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    refresh: Sequence[str] = (),
    keep_first: Sequence[str] = (),
) -> None:
    """Insert each case's row, keyed by ``id``; on a row already there, the columns in
    ``refresh`` take the event's values and those in ``keep_first`` only fill a gap (a
    value already set stays: a first-contact deadline, a limitation end)."""

    def changes(new: Any) -> dict[str, Any]:
        return {name: getattr(new, name) for name in refresh} | {
            name: func.coalesce(table.c[name], getattr(new, name)) for name in keep_first
        }

    upsert(session, table, rows, key=["id"], changes=changes if refresh or keep_first else None)
