"""Pure assignment policy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta


def next_in_rotation(active_ids: Sequence[str], last_id: str | None) -> str | None:
    """Round robin over active collectors in a stable order.

    The one after ``last_id``; if ``last_id`` left the pool, the first one after where it
    would sort, so a departure does not send the next case back to the start.
    """
    if not active_ids:
        return None
    ordered = sorted(active_ids)
    if last_id is None:
        return ordered[0]
    for collector_id in ordered:
        if collector_id > last_id:
            return collector_id
    return ordered[0]


FIRST_ACTION_WITHIN = timedelta(hours=2)


def first_action_due(assigned_at: datetime) -> datetime:
    """The collector must start working a case within 2 hours of receiving it."""
    return assigned_at + FIRST_ACTION_WITHIN
