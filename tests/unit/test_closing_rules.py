"""When a case is paid in full, how long it was overdue, who goes on the blacklist, and
the blacklist's keyed hash of an ID number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.assignment.blacklist.domain import debtor_key
from services.assignment.closing.domain import (
    LONG_OVERDUE_DAYS,
    Outcome,
    days_overdue,
    goes_on_blacklist,
    paid_in_full,
)


@pytest.mark.parametrize(
    ("owed", "paid", "full"),
    [("1200.50", "1200.49", False), ("1200.50", "1200.50", True), ("100", "150.00", True)],
)
def test_paid_in_full_to_the_fen(owed: str, paid: str, full: bool) -> None:
    assert paid_in_full(Decimal(owed), Decimal(paid)) is full


def test_days_overdue_are_unknown_without_a_first_overdue_day() -> None:
    received = date(2026, 11, 23)
    assert days_overdue(date(2026, 8, 15), date(2026, 11, 23)) == 100
    assert days_overdue(date(2026, 12, 1), date(2026, 11, 23)) == 0
    assert days_overdue(None, received) is None


@pytest.mark.parametrize(
    ("outcome", "days", "listed"),
    [
        (Outcome.PAID, LONG_OVERDUE_DAYS, True),
        (Outcome.PAID, LONG_OVERDUE_DAYS - 1, False),
        (Outcome.SETTLED, 400, True),
        (Outcome.RECALLED, 400, False),
        (Outcome.WRITTEN_OFF, 400, False),
        (Outcome.PAID, None, False),
    ],
)
def test_a_settled_long_overdue_case_lists_its_debtor(
    outcome: Outcome, days: int | None, listed: bool
) -> None:
    assert goes_on_blacklist(outcome, days) is listed


def test_the_debtor_key_is_keyed_and_ignores_spacing_and_case() -> None:
    number = "11010119900307123x"
    key = debtor_key(b"secret-1", number)
    assert key is not None and number.upper() not in key and len(key) == 64
    assert debtor_key(b"secret-1", " 110101 19900307123X ") == key
    assert debtor_key(b"secret-2", number) != key, "another secret, another key"
    assert debtor_key(b"secret-1", "110101199003071233") != key
    assert debtor_key(b"secret-1", None) is None and debtor_key(b"secret-1", "  ") is None
