"""When a logged attempt may say it happened: not in the future, not before the case
reached its collector; stated long before it is logged, it is a late entry that needs a
reason, goes to the supervisor, and does not prove an on-time first contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import ProblemError


@dataclass(frozen=True)
class Timing:
    stated: datetime
    logged: datetime
    late_entry: bool

    @property
    def witnessed(self) -> datetime:
        """The moment the first-contact clock counts: the stated time of a timely entry,
        the logging time of a late one (nobody saw the call happen before that)."""
        return self.logged if self.late_entry else self.stated


def timing_of(
    stated: datetime,
    logged: datetime,
    *,
    reached_collector: datetime,
    late_after: timedelta,
    tolerance: timedelta,
    late_entry_reason: str | None,
    field: str = "started_at",
) -> Timing:
    """The attempt's timing, or a 422 naming the field and the limit it broke. The clock
    tolerance works both ways: a collector's device may run a little behind the server's."""
    if stated > logged + tolerance:
        raise _refused(
            field, f"{field} {stated.isoformat()} is in the future (now {logged:%H:%M:%S} UTC)"
        )
    if stated < reached_collector - tolerance:
        raise _refused(
            field,
            f"{field} {stated.isoformat()} is before the case reached its collector "
            f"({reached_collector.isoformat()})",
        )
    late = logged - stated > late_after
    if late and not (late_entry_reason or "").strip():
        minutes = int(late_after.total_seconds() // 60)
        raise _refused(
            "late_entry_reason",
            f"{field} is more than {minutes} minutes before logging: give late_entry_reason "
            "(the entry is shown to the supervisor)",
        )
    return Timing(stated, logged, late)


def _refused(location: str, message: str) -> ProblemError:
    return ProblemError(422, message, errors=[{"location": f"body.{location}", "message": message}])
