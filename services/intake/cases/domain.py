"""Intake's pure rules: the 2-hour entry clock, what a later file changes on a case, how a
balance adjustment moves the total, and how long an agreement's material is kept.
No I/O, no clock: every moment is a parameter."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.clock import as_utc
from shared.pastdue import first_overdue_day

ENTRY_LIMIT = timedelta(hours=2)
RETENTION_YEARS = 5
AMOUNTS = ("principal", "interest", "penalty", "fees", "total_owed")
Changes = dict[str, tuple[str | None, str | None]]


# --- the entry clock -----------------------------------------------------------------------


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


# --- change detection ------------------------------------------------------------------------


def changes_of(current: Any, sent: Any, names: tuple[str, ...]) -> Changes:
    """Field -> (old, new) as text, for the fields ``sent`` carries that differ.

    A field a later file leaves empty keeps its value: a file updates what it carries.
    """
    found: Changes = {}
    for name in names:
        new = getattr(sent, name)
        if new is None or new == [] or new == "":
            continue
        old = getattr(current, name)
        if not same(old, new):
            found[name] = (as_text(old), as_text(new))
    return found


PAST_DUE_FIELDS = ("overdue_since", "days_past_due", "days_past_due_on")


def without_recount(current: Any, sent: Any, changes: Changes) -> Changes:
    """``changes`` less a days-past-due figure that only moved with the calendar: a later
    file's count to a later day that puts the first overdue day where it was."""
    if "overdue_since" in changes or not {"days_past_due", "days_past_due_on"} & changes.keys():
        return changes
    before = first_overdue_day(
        current.overdue_since, current.days_past_due, current.days_past_due_on
    )
    after = first_overdue_day(
        sent.overdue_since or current.overdue_since, sent.days_past_due, sent.days_past_due_on
    )
    if before is None or before != after:
        return changes
    return {k: v for k, v in changes.items() if k not in ("days_past_due", "days_past_due_on")}


def same(old: Any, new: Any) -> bool:
    if isinstance(new, Decimal) or isinstance(old, Decimal):
        try:
            return old is not None and Decimal(old) == Decimal(new)
        except (ArithmeticError, TypeError, ValueError):
            return False
    if isinstance(new, list | dict):
        return json.dumps(old, sort_keys=True, default=str) == json.dumps(
            new, sort_keys=True, default=str
        )
    return old == new


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- adjustments -----------------------------------------------------------------------------


def adjusted(current: dict[str, Decimal], sent: dict[str, Decimal]) -> dict[str, Decimal]:
    """The amounts after an adjustment: those sent, and the total moved by the change in
    the parts when the total itself is not sent. Raises ValueError below zero."""
    new = dict(sent)
    if "total_owed" not in new:
        delta = sum((new[name] - current[name] for name in new), Decimal("0"))
        new["total_owed"] = current["total_owed"] + delta
    if new["total_owed"] < 0:
        raise ValueError("the adjustment would make the total owed negative")
    return new


def amount_changes(current: dict[str, Decimal], new: dict[str, Decimal]) -> Changes:
    return {
        name: (as_text(current[name]), as_text(value))
        for name, value in new.items()
        if current[name] != value
    }


# --- retention -------------------------------------------------------------------------------


def retention_until(end_date: date) -> date:
    """All material is kept until 5 years after the agreement ends (29 Feb -> 28 Feb)."""
    try:
        return end_date.replace(year=end_date.year + RETENTION_YEARS)
    except ValueError:
        return end_date.replace(year=end_date.year + RETENTION_YEARS, day=28)


def purge_not_due(end_dates: list[date], today: date) -> str | None:
    """Why a client's material may not be purged yet on ``today`` (Asia/Shanghai), or None
    when it may: every agreement's material is kept until its end date + 5 years, that day
    included, so the latest agreement decides; a client with no agreement has no date."""
    if not end_dates:
        return "the client has no agreement, so no retention date: nothing may be purged"
    until = max(retention_until(end) for end in end_dates)
    if today <= until:
        return (
            f"material is kept until {until.isoformat()} (5 years after the latest agreement "
            f"ends, {max(end_dates).isoformat()}); a purge is possible from "
            f"{(until + timedelta(days=1)).isoformat()}"
        )
    return None


def latest_retention(end_dates: list[date]) -> date:
    return max(retention_until(end) for end in end_dates)
