"""The tests' moved clock: a service runs its clock N days ahead, never in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from shared.clock import fixed_clock, shifted
from shared.settings import ServiceSettings

AT = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_a_shifted_clock_runs_ahead_and_zero_is_the_clock_itself() -> None:
    clock = fixed_clock(AT)
    assert shifted(clock, 0) is clock
    assert shifted(clock, 1827)() == AT + timedelta(days=1827)


def test_a_moved_clock_is_refused_in_production() -> None:
    assert ServiceSettings(environment="test", clock_offset_days=3).clock_offset_days == 3
    with pytest.raises(ValidationError, match="not in production"):
        ServiceSettings(environment="production", clock_offset_days=3)
