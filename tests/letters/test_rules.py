"""Penalty maths, delivery deadlines (across a holiday and an adjusted working day) and the
limitation clock, as pure rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.letters.domain.deadlines import DeadlineRule, delivery_deadline
from services.letters.domain.limitation import Fact, limitation_clock, years_after
from services.letters.domain.penalty import penalty_to_date
from shared.workdays import WorkdayCalendar

CAL = WorkdayCalendar()


def test_penalty_hand_computed() -> None:
    # 12,345.67 × 0.04 % = 4.938268 a day; × 52 days = 256.789936 → 256.79
    worked = penalty_to_date(
        Decimal("12345.67"), Decimal("0.0004"), date(2026, 10, 2), date(2026, 11, 23)
    )
    assert worked.days_overdue == 52
    assert worked.total == Decimal("256.79") and worked.per_day == Decimal("4.94")


def test_penalty_total_is_rounded_once_not_per_day() -> None:
    # 1,000 × 0.0005 = 0.5 a day; 0.125 × 3 days would differ if each day were rounded
    worked = penalty_to_date(Decimal("250"), Decimal("0.0005"), date(2026, 1, 1), date(2026, 1, 4))
    assert worked.per_day == Decimal("0.13")  # 0.125 half-up
    assert worked.total == Decimal("0.38")  # 0.375 half-up, not 3 × 0.13 = 0.39


def test_penalty_before_it_starts_is_zero_and_negatives_refused() -> None:
    assert (
        penalty_to_date(Decimal("100"), Decimal("0.01"), date(2026, 5, 1), date(2026, 4, 1)).total
        == 0
    )
    with pytest.raises(ValueError):
        penalty_to_date(Decimal("-1"), Decimal("0.01"), date(2026, 1, 1), date(2026, 2, 1))


TEN_CALENDAR = DeadlineRule(10, "calendar")
THREE_WORKING = DeadlineRule(3, "working")


def deadline(rule: DeadlineRule, outcome: str, on: date, mailed: date, fault: bool = False):
    return delivery_deadline(rule, outcome, on, mailed, fault, CAL.is_workday)  # type: ignore[arg-type]


def test_signed_ten_calendar_days_from_signing() -> None:
    found = deadline(TEN_CALENDAR, "signed", date(2026, 11, 5), date(2026, 11, 3))
    assert found.runs_from == date(2026, 11, 5) and found.due_on == date(2026, 11, 16)
    # 5 Nov + 10 = 15 Nov, a Sunday: the last day moves to Monday 16 Nov


def test_refused_by_the_recipient_runs_from_mailing_plus_three() -> None:
    found = deadline(TEN_CALENDAR, "refused", date(2026, 11, 20), date(2026, 11, 2), fault=True)
    assert found.runs_from == date(2026, 11, 5) and found.due_on == date(2026, 11, 16)
    undeliverable = deadline(
        TEN_CALENDAR, "undeliverable", date(2026, 11, 9), date(2026, 11, 2), fault=True
    )
    assert undeliverable.runs_from == date(2026, 11, 5)
    unclaimed = deadline(
        TEN_CALENDAR, "returned", date(2026, 11, 20), date(2026, 11, 2), fault=True
    )
    assert unclaimed.due_on == date(2026, 11, 16)


def test_undeliverable_not_by_the_recipients_fault_sets_no_deadline() -> None:
    for outcome in ("undeliverable", "returned", "refused"):
        found = deadline(TEN_CALENDAR, outcome, date(2026, 11, 9), date(2026, 11, 2), fault=False)
        assert found.runs_from is None and found.due_on is None


def test_calendar_deadline_ending_in_national_day_moves_past_it() -> None:
    # signed 24 Sep 2026 + 10 = 4 Oct (holiday 1–7 Oct) → 8 Oct
    assert deadline(TEN_CALENDAR, "signed", date(2026, 9, 24), date(2026, 9, 22)).due_on == date(
        2026, 10, 8
    )


def test_working_days_skip_the_holiday_and_count_the_adjusted_working_day() -> None:
    # signed Wed 30 Sep 2026: 1–7 Oct off, Sat 10 Oct is an adjusted working day
    found = deadline(THREE_WORKING, "signed", date(2026, 9, 30), date(2026, 9, 28))
    assert found.due_on == date(2026, 10, 10)  # 8 (Thu), 9 (Fri), 10 (Sat, 调休)
    # signed on a Saturday: Mon, Tue, Wed
    assert deadline(THREE_WORKING, "signed", date(2026, 11, 21), date(2026, 11, 19)).due_on == date(
        2026, 11, 25
    )


def test_working_days_with_a_loaded_year() -> None:
    from shared.workdays import parse_schedule_text

    loaded = WorkdayCalendar({2027: parse_schedule_text(2027, "2027-01-04,holiday,x\n")})
    found = delivery_deadline(
        THREE_WORKING, "signed", date(2027, 1, 1), date(2026, 12, 30), False, loaded.is_workday
    )
    assert found.due_on == date(2027, 1, 7)  # Fri 1 Jan → Mon 4 Jan is off → 5, 6, 7


D0 = date(2023, 3, 10)


def test_three_years_from_the_day_the_default_was_known() -> None:
    clock = limitation_clock([Fact(D0, "default_known")])
    assert clock.ends_on == date(2026, 3, 10)
    assert not clock.expired(date(2026, 3, 10)) and clock.expired(date(2026, 3, 11))
    assert years_after(date(2024, 2, 29)) == date(2027, 2, 28)


def test_each_interrupt_restarts_the_period() -> None:
    clock = limitation_clock(
        [
            Fact(date(2025, 1, 5), "payment_promised", "p1"),
            Fact(D0, "default_known"),
            Fact(date(2024, 6, 1), "demand_delivered", "l1"),
            Fact(date(2026, 2, 1), "payment_received", "t1"),
        ]
    )
    assert [(s.fact.kind, s.effect, s.ends_on) for s in clock.steps] == [
        ("default_known", "started", date(2026, 3, 10)),
        ("demand_delivered", "interrupted", date(2027, 6, 1)),
        ("payment_promised", "interrupted", date(2028, 1, 5)),
        ("payment_received", "interrupted", date(2029, 2, 1)),
    ]
    assert clock.ends_on == date(2029, 2, 1)


def test_after_expiry_only_a_signed_acknowledgment_reconfirms() -> None:
    clock = limitation_clock(
        [
            Fact(D0, "default_known"),
            Fact(date(2026, 3, 11), "demand_delivered", "late"),
            Fact(date(2026, 5, 1), "payment_promised", "p"),
            Fact(date(2026, 6, 1), "acknowledgment_signed", "scan"),
            Fact(date(2026, 7, 1), "guarantor_notice", "g"),
        ]
    )
    effects = [(s.fact.kind, s.effect) for s in clock.steps]
    assert effects == [
        ("default_known", "started"),
        ("demand_delivered", "no_effect_after_expiry"),
        ("payment_promised", "no_effect_after_expiry"),
        ("acknowledgment_signed", "reconfirmed"),
        ("guarantor_notice", "interrupted"),
    ]
    assert clock.ends_on == date(2029, 7, 1)


def test_an_interrupt_on_the_last_day_still_counts_and_no_start_means_no_clock() -> None:
    clock = limitation_clock(
        [Fact(D0, "default_known"), Fact(date(2026, 3, 10), "payment_received", "t")]
    )
    assert clock.steps[-1].effect == "interrupted" and clock.ends_on == date(2029, 3, 10)
    assert limitation_clock([Fact(D0, "payment_received", "t")]).ends_on is None
