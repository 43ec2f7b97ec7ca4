"""Each payment goes to whoever held its case when it was paid, whichever of payments and
holdings arrives first, and a later holding re-attributes only the payments made since it
began (the handlers touch only those)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import permutations

import pytest
from sqlalchemy import select

from services.reporting.models import LIVE
from tests.reporting.conftest import Desk
from tests.reporting.scenario import Scenario, cst


def _scenario() -> tuple[Scenario, dict[str, list[int]]]:
    s = Scenario()
    s.import_case("X", "1000.00", date(2026, 9, 1), "M1", "card", cst("10-01", "09:00"))
    s.pay("X", "10.00", cst("10-05"))  # c-1's: before the handover
    s.assign("X", "c-1", "T1", cst("10-01", "10:00"))
    s.pay("X", "20.00", cst("10-20"))  # c-2's: after it
    s.reassign("X", "c-1", "c-2", "T1", cst("10-15"))
    s.pay("X", "30.00", cst("10-15"))  # paid the moment c-2 took over: c-2's
    groups = {"import": [0], "early payment": [1], "assigned": [2], "late payments": [3, 5]}
    groups["reassigned"] = [4]
    return s, groups


def _holders(desk: Desk) -> dict[str, str | None]:
    p = LIVE.payments
    with desk.runtime.db.reader() as session:
        return {
            str(amount): who
            for amount, who in session.execute(select(p.c.amount, p.c.collector_id))
        }


EXPECTED = {"10.00": "c-1", "20.00": "c-2", "30.00": "c-2"}
ORDERS = [
    ("import", *rest)
    for rest in permutations(["early payment", "assigned", "late payments", "reassigned"])
]


@pytest.mark.parametrize("order", ORDERS)
def test_payments_go_to_the_holder_when_paid_in_any_order_of_batches(
    make_desk: Callable[..., Desk], order: tuple[str, ...]
) -> None:
    scenario, groups = _scenario()
    desk = make_desk(Scenario())
    for name in order:
        outcome = desk.runtime.dispatch([scenario.events[i] for i in groups[name]])
        assert not outcome.rejected, outcome.rejected
    assert _holders(desk) == EXPECTED


def test_a_holding_that_began_later_leaves_earlier_payments_alone(
    make_desk: Callable[..., Desk],
) -> None:
    scenario, groups = _scenario()
    desk = make_desk(Scenario())
    for name in ("import", "assigned", "early payment", "late payments"):
        desk.runtime.dispatch([scenario.events[i] for i in groups[name]])
    assert _holders(desk) == {"10.00": "c-1", "20.00": "c-1", "30.00": "c-1"}
    desk.runtime.dispatch([scenario.events[i] for i in groups["reassigned"]])
    assert _holders(desk) == EXPECTED
