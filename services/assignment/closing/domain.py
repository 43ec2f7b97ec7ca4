"""When a case closes, and whether its debtor goes on the blacklist. Pure rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.pastdue import days_past_due

# A case this many days past due or more when it was settled puts its debtor on the
# blacklist: 90 days is where banks' bucketing (M3+) treats a debt as seriously delinquent.
LONG_OVERDUE_DAYS = 90


class Outcome(StrEnum):
    PAID = "paid"
    SETTLED = "settled"
    RECALLED = "recalled"
    WRITTEN_OFF = "written_off"
    LEGAL = "legal"


SETTLEMENTS = frozenset({Outcome.PAID, Outcome.SETTLED})


def paid_in_full(owed: Decimal, paid: Decimal) -> bool:
    return owed - paid <= 0


def days_overdue(since: date | None, on: date) -> int | None:
    """Days past due (shared.pastdue) on ``on``; None when the first overdue day is unknown
    (such a debtor is not blacklisted on a guess)."""
    return None if since is None else days_past_due(since, on)


def goes_on_blacklist(outcome: Outcome, days: int | None) -> bool:
    """Settled (paid in full or by agreement) after being long overdue."""
    return outcome in SETTLEMENTS and days is not None and days >= LONG_OVERDUE_DAYS
