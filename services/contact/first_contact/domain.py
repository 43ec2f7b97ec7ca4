"""The first-contact clock: the first attempt is due two hours after assignment."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_CONTACT_WINDOW = timedelta(hours=2)


def first_contact_due(assigned_at: datetime, due_given: datetime | None = None) -> datetime:
    """Assignment's own deadline when it sends one, else two hours after assignment."""
    return due_given or assigned_at + FIRST_CONTACT_WINDOW


def is_late(due_at: datetime | None, started_at: datetime) -> bool:
    return due_at is not None and started_at > due_at
