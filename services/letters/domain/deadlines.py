"""When a delivered letter's deadline falls (the registered-mail rules of the final notice).

The deadline runs from the day the recipient signed for the letter; when the recipient
refused it, or it could not be delivered (or came back unclaimed) through the recipient's
fault, from the mailing date plus 3 days. The first day is not counted; a deadline in
calendar days whose last day is a day off moves to the next working day (Civil Code arts.
201, 203).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Outcome = Literal["signed", "refused", "undeliverable", "returned"]
DayCount = Literal["calendar", "working"]
DEEMED_AFTER_MAILING = 3


@dataclass(frozen=True)
class DeadlineRule:
    days: int
    count: DayCount


@dataclass(frozen=True)
class DeliveryDeadline:
    runs_from: date | None
    due_on: date | None
    reason: str


def runs_from(
    outcome: Outcome, outcome_on: date, mailed_on: date, recipient_fault: bool
) -> date | None:
    """The day a deadline starts from, or None when the letter did not reach the recipient."""
    if outcome == "signed":
        return outcome_on
    if outcome in ("refused", "undeliverable", "returned") and recipient_fault:
        return mailed_on + timedelta(days=DEEMED_AFTER_MAILING)
    return None


def add_days(start: date, rule: DeadlineRule, is_workday: Callable[[date], bool]) -> date:
    day = start
    if rule.count == "working":
        counted = 0
        while counted < rule.days:
            day += timedelta(days=1)
            counted += is_workday(day)
        return day
    day += timedelta(days=rule.days)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def delivery_deadline(
    rule: DeadlineRule | None,
    outcome: Outcome,
    outcome_on: date,
    mailed_on: date,
    recipient_fault: bool,
    is_workday: Callable[[date], bool],
) -> DeliveryDeadline:
    start = runs_from(outcome, outcome_on, mailed_on, recipient_fault)
    if start is None:
        return DeliveryDeadline(
            None, None, "not delivered and not the recipient's fault: no deadline"
        )
    why = (
        "signed for"
        if outcome == "signed"
        else f"{outcome} through the recipient's fault: mailing date + 3 days"
    )
    if rule is None:
        return DeliveryDeadline(start, None, f"{why}; this letter type sets no deadline")
    unit = "working" if rule.count == "working" else "calendar"
    return DeliveryDeadline(
        start, add_days(start, rule, is_workday), f"{why}; {rule.days} {unit} days"
    )
