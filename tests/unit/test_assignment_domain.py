"""Round-robin assignment and the first-action deadline.

Collectors are paid on what they recover, so an unfair rotation is a grievance, and a
departure must not send the next case back to the head of the list.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from services.assignment.domain import first_action_due, next_in_rotation
from shared.clock import SHANGHAI


def test_first_case_goes_to_the_first_collector_in_stable_order() -> None:
    assert next_in_rotation(["c-3", "c-1", "c-2"], None) == "c-1"


def test_rotation_follows_the_stable_order_whatever_the_input_order() -> None:
    pool = ["c-2", "c-3", "c-1"]
    assert next_in_rotation(pool, "c-1") == "c-2"
    assert next_in_rotation(pool, "c-2") == "c-3"
    assert next_in_rotation(list(reversed(pool)), "c-2") == "c-3"


def test_rotation_wraps_around_after_the_last_collector() -> None:
    assert next_in_rotation(["c-1", "c-2", "c-3"], "c-3") == "c-1"


def test_single_collector_gets_every_case() -> None:
    assert next_in_rotation(["c-1"], "c-1") == "c-1"


@pytest.mark.parametrize("last", [None, "c-1"])
def test_empty_pool_assigns_nobody(last: str | None) -> None:
    assert next_in_rotation([], last) is None


def test_departed_collector_is_followed_by_the_next_after_its_position() -> None:
    # c-2 had the last case and then left; c-3 is next, not c-1 again.
    assert next_in_rotation(["c-1", "c-3", "c-4"], "c-2") == "c-3"


def test_departed_collector_at_the_end_wraps_to_the_start() -> None:
    assert next_in_rotation(["c-1", "c-2"], "c-9") == "c-1"


@pytest.mark.parametrize("collectors", [2, 3, 7])
@pytest.mark.parametrize("cases", [1, 20, 101])
def test_rotation_is_fair_over_many_cases(collectors: int, cases: int) -> None:
    pool = [f"collector-{i:02d}" for i in range(collectors)]
    counts: Counter[str] = Counter({c: 0 for c in pool})
    last: str | None = None
    for _ in range(cases):
        chosen = next_in_rotation(pool, last)
        assert chosen in pool
        assert chosen != last or collectors == 1
        counts[chosen] += 1
        last = chosen
    assert sum(counts.values()) == cases
    assert max(counts.values()) - min(counts.values()) <= 1


def test_rotation_stays_fair_when_a_collector_leaves_midway() -> None:
    pool = ["a", "b", "c", "d"]
    counts: Counter[str] = Counter()
    last: str | None = None
    for n in range(40):
        if n == 10:
            pool = ["a", "c", "d"]  # b leaves; b had the 10th case
        last = next_in_rotation(pool, last)
        assert last is not None
        if n >= 10:
            counts[last] += 1
    assert set(counts) == {"a", "c", "d"}
    assert max(counts.values()) - min(counts.values()) <= 1


def test_first_action_is_due_two_hours_after_assignment() -> None:
    assigned = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert first_action_due(assigned) == datetime(2026, 11, 1, 11, 30, tzinfo=UTC)


def test_first_action_deadline_crosses_midnight_and_keeps_the_zone() -> None:
    assigned = datetime(2026, 11, 1, 23, 15, tzinfo=SHANGHAI)
    due = first_action_due(assigned)
    assert due == datetime(2026, 11, 2, 1, 15, tzinfo=SHANGHAI)
    assert due.tzinfo is SHANGHAI
    assert due - assigned == timedelta(hours=2)
