"""The on-disk duplicate tracker answers exactly like the in-memory rule it replaces."""

from __future__ import annotations

import random

from services.intake.source import SpilledDuplicateTracker
from services.intake.validation import DuplicateTracker


def test_spilled_tracker_matches_the_in_memory_tracker() -> None:
    rng = random.Random(3)
    refs = [f"A{rng.randrange(400)}" for _ in range(2_000)]
    spilled, in_memory = SpilledDuplicateTracker(), DuplicateTracker()
    try:
        for row, ref in enumerate(refs, start=2):
            assert spilled.check(row, ref, "卡号") == in_memory.check(row, ref, "卡号")
    finally:
        spilled.close()


def test_a_repeat_names_the_first_row() -> None:
    seen = SpilledDuplicateTracker()
    try:
        assert seen.check(2, "6222-01", "卡号") is None
        assert seen.check(3, "6222-02", "卡号") is None
        repeat = seen.check(9, "6222-01", "卡号")
        assert repeat is not None
        assert (repeat.row, repeat.column, repeat.value) == (9, "卡号", "6222-01")
        assert "first on line 2" in repeat.reason
    finally:
        seen.close()
