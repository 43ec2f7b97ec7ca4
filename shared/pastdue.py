"""Days past due (逾期天数) and buckets (账龄): the platform's one definition.

A case is past due from its **first overdue day**: the date the bank gives (首次逾期日),
else the day implied by the bank's own count — its 逾期天数 *as of the day it extracted the
file* counted back from that day. Days past due on a day D are the days from the first
overdue day to D (never below 0), so they advance with the calendar whichever the bank
sent. A case the bank gives neither for is not known to be past due: 0 days.

Buckets are months of 30 days past due: M0 = 0 days, M1 = 1–30, M2 = 31–60, M3 = 61–90,
M4 = 91–120, M5 = 121–150, M6 = 151–180, M7+ = 181 and more.

Every service keeps the first overdue day from ``CaseImported`` / ``CaseUpdated`` with
:func:`first_overdue_day` and counts with :func:`days_past_due` and :func:`bucket_of`
on the day it needs (today, a period's last day, the day a payment was made).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal, Protocol, get_args

Bucket = Literal["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"]
BUCKETS: tuple[Bucket, ...] = get_args(Bucket)
DAYS_PER_BUCKET = 30


def first_overdue_day(
    overdue_since: date | None, stated_days: int | None, stated_on: date | None
) -> date | None:
    """The first overdue day: as given, else ``stated_on`` minus the bank's stated days,
    else unknown (None). A given date wins over a count that disagrees with it."""
    if overdue_since is not None:
        return overdue_since
    if stated_days is not None and stated_on is not None:
        return stated_on - timedelta(days=max(0, stated_days))
    return None


class PastDueFacts(Protocol):
    """What ``CaseImported`` and ``CaseUpdated.past_due`` carry."""

    @property
    def overdue_since(self) -> date | None: ...
    @property
    def days_past_due(self) -> int | None: ...
    @property
    def days_past_due_on(self) -> date | None: ...


def first_overdue_of(facts: PastDueFacts) -> date | None:
    """The first overdue day an event's days-past-due facts give."""
    return first_overdue_day(facts.overdue_since, facts.days_past_due, facts.days_past_due_on)


def days_past_due(first_overdue: date | None, on: date) -> int:
    """Days past due on ``on``: 0 before the first overdue day and when it is unknown."""
    return 0 if first_overdue is None else max(0, (on - first_overdue).days)


def bucket_of(days: int) -> Bucket:
    """The bucket of a number of days past due (M0 for 0 or fewer)."""
    if days <= 0:
        return BUCKETS[0]
    return BUCKETS[min((days - 1) // DAYS_PER_BUCKET + 1, len(BUCKETS) - 1)]


def bucket_on(first_overdue: date | None, on: date) -> Bucket:
    return bucket_of(days_past_due(first_overdue, on))


def unknown_buckets(labels: Iterable[str]) -> list[str]:
    """The labels that are not one of :data:`BUCKETS`, in the order given."""
    return [label for label in labels if label not in BUCKETS]
