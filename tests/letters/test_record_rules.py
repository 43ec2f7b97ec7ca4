"""The pure rules behind the letters' record: which proof dates can be true, which
characters a letter cannot print, which letters a balance of nothing forbids."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.letters.domain.kinds import KINDS, nothing_owed
from services.letters.domain.printable import unprintable
from services.letters.domain.proof_dates import ProofDateRefused, check_proof_date

ISSUED = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 Shanghai


def test_a_proof_date_may_be_today_in_shanghai_even_when_utc_is_still_yesterday() -> None:
    early_morning = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 4 Dec 01:00 Shanghai
    check_proof_date("mailed_on", date(2026, 12, 4), now=early_morning, issued_at=ISSUED)


def test_tomorrow_is_allowed_only_within_the_clock_tolerance_of_midnight() -> None:
    late = datetime(2026, 12, 4, 15, 55, tzinfo=UTC)  # 23:55 Shanghai
    check_proof_date("outcome_on", date(2026, 12, 5), now=late, issued_at=ISSUED)
    evening = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # 23:00 Shanghai
    with pytest.raises(ProofDateRefused, match=r"after today \(2026-12-04 in Shanghai\)"):
        check_proof_date("outcome_on", date(2026, 12, 5), now=evening, issued_at=ISSUED)


def test_a_proof_date_before_issue_or_before_mailing_cannot_be_true() -> None:
    now = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    with pytest.raises(ProofDateRefused, match="before the letter was issued on 2026-12-01"):
        check_proof_date("mailed_on", date(2026, 11, 30), now=now, issued_at=ISSUED)
    with pytest.raises(ProofDateRefused, match="before the mailing date 2026-12-03"):
        check_proof_date(
            "outcome_on", date(2026, 12, 2), now=now, issued_at=ISSUED, mailed_on=date(2026, 12, 3)
        )


def test_unprintable_names_each_missing_character_once_with_where_it_is() -> None:
    content = {"recipient": {"name": "王\U00030000"}, "fields": {"lines": ["\U00030000", "好\n"]}}
    missing = unprintable(content, lambda c: c < 0x30000)
    assert [str(m) for m in missing] == [
        "'\U00030000' (U+30000 CJK UNIFIED IDEOGRAPH-30000) in recipient.name"
    ]


def test_only_letters_asking_for_the_balance_are_forbidden_for_nothing_owed() -> None:
    forbidden = {k for k, kind in KINDS.items() if nothing_owed(kind, Decimal("0.00"))}
    assert forbidden == {
        "overdue_notice",
        "demand_letter",
        "penalty_notice",
        "final_notice",
        "guarantor_notice",
        "lawyer_letter",
    }
    assert nothing_owed(KINDS["overdue_notice"], Decimal("-5")) is not None
    assert nothing_owed(KINDS["overdue_notice"], Decimal("0.01")) is None


def test_the_penalty_day_count_leaves_out_penalty_from_and_counts_the_letters_day() -> None:
    from services.letters.domain.penalty import penalty_to_date

    worked = penalty_to_date(
        Decimal("10000"), Decimal("0.0004"), date(2026, 10, 15), date(2026, 12, 4)
    )
    assert (worked.days_overdue, worked.total, worked.per_day) == (
        50,
        Decimal("200.00"),
        Decimal("4.00"),
    )
    same_day = penalty_to_date(
        Decimal("10000"), Decimal("0.0004"), date(2026, 12, 4), date(2026, 12, 4)
    )
    assert same_day.days_overdue == 0
