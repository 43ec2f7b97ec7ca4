"""Pure assignment policy."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_ACTION_WITHIN = timedelta(hours=2)


def first_action_due(assigned_at: datetime) -> datetime:
    """The collector must start working a case within 2 hours of receiving it."""
    return assigned_at + FIRST_ACTION_WITHIN
