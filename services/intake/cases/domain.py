"""Cases' pure rules: what a later file changes on a case, and how a balance adjustment
moves the total. No I/O, no clock."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from shared.pastdue import bucket_on, days_past_due, first_overdue_day

AMOUNTS = ("principal", "interest", "penalty", "fees", "total_owed")
Changes = dict[str, tuple[str | None, str | None]]


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


# --- days past due ---------------------------------------------------------------------------


def past_due_today(case: Any, today: date) -> dict[str, Any]:
    """Days past due and the bucket on ``today`` (Shanghai), None when not known."""
    first = first_overdue_day(case.overdue_since, case.days_past_due, case.days_past_due_on)
    if first is None:
        return {"days_past_due": None, "bucket": None}
    return {"days_past_due": days_past_due(first, today), "bucket": bucket_on(first, today)}
