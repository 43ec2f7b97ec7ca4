"""Intake's pure rules: the 2-hour entry clock, what a later file changes, how an
adjustment moves the total, and how long material is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from services.intake.agreements.domain import retention_until
from services.intake.case_files.domain import entry_overdue, progress_of
from services.intake.cases.domain import adjusted, amount_changes, changes_of, without_recount

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_entry_overdue_after_two_hours() -> None:
    assert entry_overdue(T0, T0 + timedelta(hours=2)) is False
    assert entry_overdue(T0, T0 + timedelta(hours=2, seconds=1)) is True
    assert entry_overdue(T0, None) is False


def test_a_running_batch_is_overdue_once_two_hours_have_passed() -> None:
    running = dict(done=False, bytes_read=50, size_bytes=100, passes=2, received_at=T0,
                   completed_at=None)  # fmt: skip
    assert progress_of(**running, now=T0 + timedelta(hours=1)) == {
        "progress": 0.25, "entry_seconds": None, "entry_overdue": False,
    }  # fmt: skip
    assert progress_of(**running, now=T0 + timedelta(hours=3))["entry_overdue"] is True


def test_a_later_file_changes_only_what_it_carries_and_differs() -> None:
    case = SimpleNamespace(total_owed=Decimal("150.00"), phones=["13800138000"], branch="上海")
    sent = SimpleNamespace(total_owed=Decimal("160"), phones=[], branch="上海")
    assert changes_of(case, sent, ("total_owed", "phones", "branch")) == {
        "total_owed": ("150.00", "160.00")
    }


def test_an_adjustment_moves_the_total_by_the_change_in_the_parts() -> None:
    current = {"principal": Decimal("100"), "interest": Decimal("10"), "penalty": Decimal("0"),
               "fees": Decimal("0"), "total_owed": Decimal("110")}  # fmt: skip
    new = adjusted(current, {"interest": Decimal("0")})
    assert new == {"interest": Decimal("0"), "total_owed": Decimal("100")}
    assert amount_changes(current, new) == {
        "interest": ("10.00", "0.00"),
        "total_owed": ("110.00", "100.00"),
    }
    with pytest.raises(ValueError, match="negative"):
        adjusted(current, {"total_owed": Decimal("-1")})


def test_retention_is_five_years_after_the_end() -> None:
    assert retention_until(date(2027, 12, 31)) == date(2032, 12, 31)
    assert retention_until(date(2028, 2, 29)) == date(2033, 2, 28)


def test_a_count_that_only_moved_with_the_calendar_is_no_change() -> None:
    kept = SimpleNamespace(
        overdue_since=None, days_past_due=40, days_past_due_on=date(2026, 11, 27)
    )
    later = SimpleNamespace(
        overdue_since=None, days_past_due=41, days_past_due_on=date(2026, 11, 28)
    )
    changes = {"days_past_due": ("40", "41"), "days_past_due_on": ("2026-11-27", "2026-11-28"),
               "total_owed": ("1.00", "2.00")}  # fmt: skip
    assert without_recount(kept, later, changes) == {"total_owed": ("1.00", "2.00")}
    moved = SimpleNamespace(
        overdue_since=None, days_past_due=45, days_past_due_on=date(2026, 11, 28)
    )
    assert without_recount(kept, moved, changes) == changes
    dated = {"overdue_since": (None, "2026-10-01"), **changes}
    assert without_recount(kept, later, dated) == dated, "a new overdue date is a change"
