"""The one definition of days past due and buckets (shared.pastdue)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.pastdue import (
    BUCKETS,
    bucket_of,
    bucket_on,
    days_past_due,
    first_overdue_day,
    unknown_buckets,
)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (60, "M2"), (61, "M3"), (90, "M3"),
        (91, "M4"), (120, "M4"), (121, "M5"), (150, "M5"), (151, "M6"), (180, "M6"),
        (181, "M7+"), (200, "M7+"), (800, "M7+"), (-3, "M0"),
    ],
)  # fmt: skip
def test_buckets_are_months_of_thirty_days(days: int, bucket: str) -> None:
    assert bucket_of(days) == bucket


def test_every_bucket_is_reached_once_in_order() -> None:
    seen = [bucket_of(d) for d in range(0, 400)]
    assert list(dict.fromkeys(seen)) == list(BUCKETS)


def test_a_given_first_overdue_date_wins_over_the_stated_days() -> None:
    assert first_overdue_day(date(2026, 1, 5), 300, date(2026, 11, 23)) == date(2026, 1, 5)


def test_stated_days_count_back_from_the_day_they_were_stated() -> None:
    assert first_overdue_day(None, 100, date(2026, 11, 23)) == date(2026, 8, 15)
    assert first_overdue_day(None, 0, date(2026, 11, 23)) == date(2026, 11, 23)


def test_nothing_stated_is_unknown_and_counts_as_not_past_due() -> None:
    assert first_overdue_day(None, None, date(2026, 11, 23)) is None
    assert first_overdue_day(None, 30, None) is None
    assert days_past_due(None, date(2026, 11, 23)) == 0
    assert bucket_on(None, date(2026, 11, 23)) == "M0"


def test_days_advance_with_the_calendar() -> None:
    since = first_overdue_day(None, 30, date(2026, 11, 1))
    assert days_past_due(since, date(2026, 11, 1)) == 30
    assert bucket_on(since, date(2026, 11, 1)) == "M1"
    assert days_past_due(since, date(2026, 11, 2)) == 31
    assert bucket_on(since, date(2026, 11, 2)) == "M2"
    assert days_past_due(since, date(2026, 11, 1) + timedelta(days=770)) == 800


def test_before_the_first_overdue_day_is_zero() -> None:
    assert days_past_due(date(2026, 12, 1), date(2026, 11, 23)) == 0


def test_unknown_bucket_labels_are_named_in_order() -> None:
    assert unknown_buckets(["M2", "M4+", "M7+", "m3"]) == ["M4+", "m3"]
    assert unknown_buckets(BUCKETS) == []
