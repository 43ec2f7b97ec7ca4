"""Promise tracking as pure functions: payments fill instalments, deadlines decide them.

Each payment goes to the instalments still short, earliest due first; money paid by an
instalment's deadline counts for it, money paid after it is recorded as late and does
not change its outcome. A payment made on the day the promise was made counts for it
even if it came a minute before the promise was recorded (the debtor paid while or just
before promising), unless earlier promises already took it; one made before that day does
not (the promise was for money still owed). Once its deadline passes an instalment is
decided: kept if fully paid in time (decided the moment the last of it arrives), partly
kept if some was, broken if none was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

ZERO = Decimal("0")
OPEN, KEPT, PARTLY_KEPT, BROKEN = "open", "kept", "partly_kept", "broken"


@dataclass(frozen=True)
class InstalmentState:
    promise_id: str
    seq: int
    due_on: date
    deadline: datetime
    amount: Decimal
    paid_on_time: Decimal = ZERO
    paid_late: Decimal = ZERO
    state: str = OPEN
    decided_at: datetime | None = None

    @property
    def short_by(self) -> Decimal:
        return max(ZERO, self.amount - self.paid_on_time - self.paid_late)

    @property
    def missing(self) -> Decimal:
        return max(ZERO, self.amount - self.paid_on_time)


def day_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """The start of ``moment``'s day on the debtor's clock: payments from then on count
    toward a promise made that day, even those made before it was recorded."""
    day = moment.astimezone(tz).date()
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def taken(before: Sequence[InstalmentState], after: Sequence[InstalmentState]) -> Decimal:
    """How much of a payment the instalments took (``after`` is ``before`` with it)."""

    def paid(items: Sequence[InstalmentState]) -> Decimal:
        return sum((i.paid_on_time + i.paid_late for i in items), ZERO)

    return paid(after) - paid(before)


def deadline_for(due_on: date, grace_days: int, tz: ZoneInfo) -> datetime:
    """The end of the due date on the debtor's clock, plus the grace days."""
    last_day = due_on + timedelta(days=1 + grace_days)
    return datetime.combine(last_day, time(0), tzinfo=tz).astimezone(UTC)


def apply_payment(
    instalments: Sequence[InstalmentState], amount: Decimal, paid_at: datetime
) -> list[InstalmentState]:
    """The instalments after ``amount`` paid at ``paid_at``; any excess is not theirs."""
    left = amount
    result = []
    for item in sorted(instalments, key=lambda i: (i.deadline, i.promise_id, i.seq)):
        take = min(item.short_by, left)
        if take > ZERO:
            left -= take
            if paid_at < item.deadline:
                item = replace(item, paid_on_time=item.paid_on_time + take)
                if item.state == OPEN and item.paid_on_time >= item.amount:
                    item = replace(item, state=KEPT, decided_at=paid_at)
            else:
                item = replace(item, paid_late=item.paid_late + take)
        result.append(item)
    return result


def settle_due(instalments: Sequence[InstalmentState], now: datetime) -> list[InstalmentState]:
    """Decide every open instalment whose deadline has passed by ``now``."""
    return [
        replace(i, state=PARTLY_KEPT if i.paid_on_time > ZERO else BROKEN, decided_at=i.deadline)
        if i.state == OPEN and i.deadline <= now
        else i
        for i in instalments
    ]


def promise_state(instalment_states: Iterable[str]) -> str:
    states = set(instalment_states)
    if states & {BROKEN, PARTLY_KEPT}:
        return BROKEN
    return KEPT if states == {KEPT} else OPEN
