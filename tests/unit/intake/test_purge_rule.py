"""When a client's material may be purged: the day after the latest agreement's end date
+ 5 years, never before, never without an agreement."""

from __future__ import annotations

from datetime import date

from services.intake.agreements.domain import latest_retention, purge_not_due


def test_kept_through_the_retention_day_itself() -> None:
    refused = purge_not_due([date(2020, 6, 30)], date(2025, 6, 30))
    assert refused is not None and "kept until 2025-06-30" in refused
    assert "possible from 2025-07-01" in refused


def test_due_the_day_after_retention_ends() -> None:
    assert purge_not_due([date(2020, 6, 30)], date(2025, 7, 1)) is None


def test_the_latest_agreement_decides() -> None:
    ends = [date(2018, 1, 31), date(2021, 3, 31)]
    assert latest_retention(ends) == date(2026, 3, 31)
    assert purge_not_due(ends, date(2025, 1, 1)) is not None  # the first one's time is over
    assert purge_not_due(ends, date(2026, 3, 31)) is not None
    assert purge_not_due(ends, date(2026, 4, 1)) is None


def test_an_agreement_ending_on_29_february_is_kept_until_28_february() -> None:
    assert purge_not_due([date(2024, 2, 29)], date(2029, 2, 28)) is not None
    assert purge_not_due([date(2024, 2, 29)], date(2029, 3, 1)) is None


def test_no_agreement_no_purge() -> None:
    refused = purge_not_due([], date(2040, 1, 1))
    assert refused is not None and "no agreement" in refused
