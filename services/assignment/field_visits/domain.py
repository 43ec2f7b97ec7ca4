"""Pure field-visit rules: the order's life (ordered → planned → reported → completed →
signed off), its 2-business-day deadline and when it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

VISIT_WITHIN_WORKDAYS = 2


class VisitStatus(StrEnum):
    ORDERED = "ordered"
    PLANNED = "planned"
    REPORTED = "reported"
    COMPLETED = "completed"
    SIGNED_OFF = "signed_off"


OPEN = frozenset({VisitStatus.ORDERED, VisitStatus.PLANNED})

# Which step may follow which; a plan may be filed again while the visit is open.
NEXT: dict[VisitStatus, frozenset[VisitStatus]] = {
    VisitStatus.ORDERED: frozenset({VisitStatus.PLANNED, VisitStatus.REPORTED}),
    VisitStatus.PLANNED: frozenset({VisitStatus.PLANNED, VisitStatus.REPORTED}),
    VisitStatus.REPORTED: frozenset({VisitStatus.COMPLETED}),
    VisitStatus.COMPLETED: frozenset({VisitStatus.SIGNED_OFF}),
    VisitStatus.SIGNED_OFF: frozenset(),
}


class StepRefused(ValueError):
    """The visit is not at a stage where this step can happen (409)."""


def advance(current: VisitStatus, to: VisitStatus) -> VisitStatus:
    if to not in NEXT[current]:
        raise StepRefused(f"the visit is {current.value}; it cannot become {to.value}")
    return to


def is_overdue(status: VisitStatus, due_by: datetime, now: datetime) -> bool:
    """Not reported by its due time (the deadline as extended by an approved delay)."""
    return status in OPEN and now > due_by


def plan_needs_approval(planned_for: datetime, due_by: datetime) -> bool:
    """A plan within the deadline is only filed; a later one needs an approved delay."""
    return planned_for > due_by


@dataclass(frozen=True)
class QuietHours:
    """No visit planned from ``start`` (inclusive) to ``end`` (exclusive), on the debtor's
    clock."""

    start: time
    end: time

    def covers(self, moment: datetime, tz: ZoneInfo) -> bool:
        local = moment.astimezone(tz).time()
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def describe(self, moment: datetime, tz: ZoneInfo) -> str:
        return (
            f"{moment.astimezone(tz):%H:%M} at the debtor ({tz.key}) is inside quiet hours "
            f"{self.start:%H:%M}–{self.end:%H:%M}"
        )
