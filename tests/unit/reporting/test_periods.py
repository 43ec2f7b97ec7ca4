"""Periods in Shanghai time, buckets, money — pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.reporting.money import fen, ratio
from services.reporting.periods import PeriodOutOfRange, period_of, reconciliation_period
from services.reporting.reports.book import bucket_of


def test_a_week_runs_saturday_to_friday_across_the_new_year() -> None:
    week = period_of("week", date(2027, 1, 1))  # a Friday
    assert (week.first, week.last) == (date(2026, 12, 26), date(2027, 1, 1))
    assert period_of("week", date(2026, 12, 26)) == week  # its Saturday
    assert period_of("week", date(2027, 1, 2)).first == date(2027, 1, 2)


def test_a_month_starts_at_midnight_in_shanghai() -> None:
    october = period_of("month", date(2026, 10, 31))
    assert october.start == datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
    assert october.end == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert period_of("month", date(2026, 12, 5)).after == date(2027, 1, 1)
    assert october.previous().label == "2026-09"


def test_reconciliation_runs_from_the_agreements_day_to_the_same_day_next_month() -> None:
    statement = reconciliation_period(date(2026, 12, 1), 25)
    assert (statement.first, statement.last) == (date(2026, 12, 25), date(2027, 1, 24))


def test_a_day_outside_the_supported_years_is_refused() -> None:
    with pytest.raises(PeriodOutOfRange):
        period_of("week", date(1, 1, 1))


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "M0"),
        (1, "M1"),
        (30, "M1"),
        (31, "M2"),
        (90, "M3"),
        (91, "M4"),
        (180, "M6"),
        (181, "M7+"),
        (4000, "M7+"),
    ],
)
def test_buckets_are_months_past_due(days: int, bucket: str) -> None:
    assert bucket_of(days) == bucket


def test_money_is_half_up_to_the_fen_and_rates_to_four_places() -> None:
    assert fen(Decimal("22.575")) == Decimal("22.58")
    assert fen(0.1 + 0.2) == Decimal("0.30")
    assert ratio(Decimal("2092"), Decimal("2300")) == Decimal("0.9096")  # the seeds' 90.96 %
    assert ratio(1, 0) is None
