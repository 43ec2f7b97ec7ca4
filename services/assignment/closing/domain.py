"""When a case closes, and whether its debtor goes on the blacklist. Pure rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

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


def overdue_since(given: date | None, days_past_due: int | None, received_on: date) -> date | None:
    """The client's overdue date, else the one its days-past-due count implies at receipt."""
    if given is not None:
        return given
    if days_past_due is not None and days_past_due >= 0:
        return received_on - timedelta(days=days_past_due)
    return None


def days_overdue(since: date | None, on: date) -> int | None:
    return None if since is None else max(0, (on - since).days)


def goes_on_blacklist(outcome: Outcome, days: int | None) -> bool:
    """Settled (paid in full or by agreement) after being long overdue."""
    return outcome in SETTLEMENTS and days is not None and days >= LONG_OVERDUE_DAYS
