"""The 2-hour entry clock of a case file. No I/O, no clock: every moment is a parameter."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.clock import as_utc

ENTRY_LIMIT = timedelta(hours=2)


def entry_overdue(received_at: datetime, completed_at: datetime | None) -> bool:
    """Case data is entered within 2 hours of receipt (domain rule)."""
    return completed_at is not None and as_utc(completed_at) - as_utc(received_at) > ENTRY_LIMIT


def progress_of(
    *,
    done: bool,
    bytes_read: int,
    size_bytes: int,
    passes: int,
    received_at: datetime,
    completed_at: datetime | None,
    now: datetime,
) -> dict[str, Any]:
    """Progress and the entry clock of a batch: one still running is overdue as soon as
    two hours have passed since receipt."""
    progress = 1.0 if done else min(1.0, bytes_read / max(1, size_bytes * passes))
    seconds = None
    if completed_at is not None:
        seconds = (as_utc(completed_at) - as_utc(received_at)).total_seconds()
    return {
        "progress": round(progress, 4),
        "entry_seconds": seconds,
        "entry_overdue": entry_overdue(received_at, completed_at or now),
    }
