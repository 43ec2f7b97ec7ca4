"""Placement policy and the first-action deadline.

Collectors are paid on what they recover, so an unfair share is a grievance: the one with
the most spare capacity gets the case, and among equals whoever was picked least recently.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.assignment.placing.domain import (
    CaseFacts,
    Collector,
    Pool,
    Rule,
    first_action_due,
    route,
)
from shared.clock import SHANGHAI


def case(**facts: object) -> CaseFacts:
    values: dict[str, object] = {"case_id": "case-1", "client_id": "BANK-A", **facts}
    return CaseFacts(**values)  # type: ignore[arg-type]


def collector(cid: str, team: str = "T1", capacity: int = 10, open_cases: int = 0, **skills):
    return Collector(
        id=cid,
        team_id=team,
        capacity=capacity,
        open_cases=open_cases,
        **{k: frozenset(v) for k, v in skills.items()},
    )


RULES = [
    Rule(id="r1", team_id="BIG", min_amount=Decimal("50000")),
    Rule(id="r2", team_id="CARDS", client_id="BANK-A", product_type="credit_card", bucket="M1"),
    Rule(id="r3", team_id="SH", region="上海"),
    Rule(id="r4", team_id="MID", min_amount=Decimal("1000"), max_amount=Decimal("50000")),
]


@pytest.mark.parametrize(
    ("facts", "team"),
    [
        ({"amount": Decimal("50000"), "region": "上海"}, "BIG"),
        ({"product_type": "credit_card", "bucket": "M1", "amount": Decimal("10")}, "CARDS"),
        ({"product_type": "credit_card", "bucket": "M2", "region": "上海"}, "SH"),
        ({"amount": Decimal("49999.99")}, "MID"),
        ({"amount": Decimal("999.99")}, None),
        ({"client_id": "BANK-B", "product_type": "credit_card", "bucket": "M1"}, None),
    ],
)
def test_the_first_matching_rule_in_order_routes_the_case(facts, team) -> None:
    found = route(RULES, case(**facts))
    assert (found.team_id if found else None) == team


def test_an_amount_band_does_not_match_a_case_without_an_amount() -> None:
    assert route(RULES[3:], case()) is None


def test_the_collector_with_the_most_spare_capacity_gets_the_case() -> None:
    pool = Pool([], [collector("a", open_cases=5), collector("b", capacity=20, open_cases=12)])
    placed = pool.place(case())
    assert placed.collector is not None and placed.collector.id == "b"
    assert placed.collector.open_cases == 13


def test_skills_region_and_dialect_narrow_the_team() -> None:
    cantonese = [Rule(id="r", team_id="T1", region="广州", dialect="粤语")]
    pool = Pool(
        cantonese,
        [
            collector("a", capacity=99, dialects={"普通话"}),
            collector("b", regions={"上海"}, dialects={"粤语"}),
            collector("c", regions={"广州"}, dialects={"粤语"}, product_types={"mortgage"}),
            collector("d", regions={"广州", "深圳"}, dialects={"粤语"}, buckets={"M1", "M2"}),
        ],
    )
    placed = pool.place(case(region="广州", product_type="credit_card", bucket="M2"))
    assert placed.collector is not None and placed.collector.id == "d"


def test_a_case_nobody_can_take_waits_with_the_reason() -> None:
    rule = [Rule(id="r", team_id="T1", dialect="粤语")]
    assert Pool(rule, [collector("x", team="T2")]).place(case()).reason == (
        "team T1: no active phone collector"
    )
    assert Pool(rule, [collector("a")]).place(case()).reason == (
        "team T1: nobody with the skills for this case"
    )
    full = Pool([], [collector("a", capacity=3, open_cases=3)]).place(case())
    assert (
        full.collector is None and full.reason == "any team: every skilled collector is at capacity"
    )
    assert Pool(rule, [collector("x", team="T2")]).place(case()).team_id == "T1"


@pytest.mark.parametrize("collectors", [2, 3, 7])
@pytest.mark.parametrize("cases", [1, 20, 101])
def test_equal_collectors_share_the_cases_evenly(collectors: int, cases: int) -> None:
    pool = Pool([], [collector(f"c-{i:02d}", capacity=1000) for i in range(collectors)])
    counts = Counter(pool.place(case()).collector.id for _ in range(cases))  # type: ignore[union-attr]
    assert sum(counts.values()) == cases
    assert max(counts.values()) - min(counts.get(f"c-{i:02d}", 0) for i in range(collectors)) <= 1


def test_ties_go_to_whoever_was_picked_least_recently_across_runs() -> None:
    first = Pool([], [collector("a"), collector("b")])
    assert first.place(case()).collector.id == "a"  # type: ignore[union-attr]
    again = [collector("a", open_cases=1), collector("b", open_cases=0)]
    again[0].last_pick, again[1].last_pick = 7, 3
    again[1].open_cases = 1
    assert Pool([], again, next_pick=8).place(case()).collector.id == "b"  # type: ignore[union-attr]


def test_first_action_is_due_two_hours_after_assignment() -> None:
    assigned = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert first_action_due(assigned) == datetime(2026, 11, 1, 11, 30, tzinfo=UTC)


def test_first_action_deadline_crosses_midnight_and_keeps_the_zone() -> None:
    assigned = datetime(2026, 11, 1, 23, 15, tzinfo=SHANGHAI)
    due = first_action_due(assigned)
    assert due == datetime(2026, 11, 2, 1, 15, tzinfo=SHANGHAI)
    assert due.tzinfo is SHANGHAI
    assert due - assigned == timedelta(hours=2)
