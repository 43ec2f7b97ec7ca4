"""A rebuild from the topics' events gives exactly the live model's figures, whatever the
order the topics are read in, and the live consumer then skips what it already has."""

from __future__ import annotations

from typing import Any

from services.reporting.readmodel.rebuild import FreshTables
from shared.bus.apply import Delivery
from shared.events import encode, topic_for
from tests.reporting.conftest import Desk
from tests.reporting.scenario import cst

REPORTS = [
    ("/reports/collectors/progress", {"period": "month", "on": "2026-10-15"}),
    ("/reports/collectors/monthly", {"on": "2026-10-15"}),
    ("/reports/branches/B1/monthly", {"on": "2026-10-15"}),
    ("/reports/receivables/friday", {"on": "2026-11-06"}),
    ("/reports/reconciliation/BANK-A", {"month": "2026-10"}),
    ("/reports/kpis", {"period": "month", "on": "2026-10-15"}),
    ("/reports/sla-breaches", {"period": "month", "on": "2026-10-15"}),
    ("/reports/case-counts", {}),
    ("/reports/event-tally", {}),
]


def _figures(desk: Desk) -> list[Any]:
    return [desk.json(path, **params) for path, params in REPORTS]


def _by_topic_reversed(events: list[Any]) -> list[Delivery]:
    """As a rebuild may read them: one topic after another, the last topic first."""
    ordered = sorted(events, key=lambda e: topic_for(e.producer), reverse=True)
    return [
        Delivery(encode(e), topic_for(e.producer), 0, n, e.case_id and e.case_id.encode())
        for n, e in enumerate(ordered)
    ]


def test_rebuild_equals_live_and_live_skips_what_the_rebuild_applied(desk: Desk) -> None:
    live = _figures(desk)
    fresh = FreshTables(desk.runtime)
    fresh.create()
    deliveries = _by_topic_reversed(desk.scenario.events)
    for start in range(0, len(deliveries), 7):
        fresh.apply(deliveries[start : start + 7])
    fresh.apply(deliveries[:10])  # a redelivery changes nothing
    fresh.swap()
    assert _figures(desk) == live
    again = desk.runtime.dispatch(desk.scenario.events)  # the live consumer's backlog
    assert again.handled_count == 0 and again.duplicates == len(desk.scenario.events)
    assert _figures(desk) == live


def test_events_after_the_swap_land_in_the_rebuilt_tables(desk: Desk) -> None:
    fresh = FreshTables(desk.runtime)
    fresh.create()
    fresh.apply(_by_topic_reversed(desk.scenario.events))
    fresh.swap()
    desk.scenario.pay("D", "55.55", cst("10-30"))
    desk.runtime.dispatch(desk.scenario.events[-1:])
    rows = desk.json("/reports/collectors/progress", period="month", on="2026-10-15")
    by = {r["collector_id"]: r for r in rows["sections"][0]["rows"]}
    assert by["c-3"]["recovered"] == "55.55"
    fresh = FreshTables(desk.runtime)  # a second rebuild on the same database
    fresh.create()
    fresh.apply(_by_topic_reversed(desk.scenario.events))
    fresh.swap()
    again = desk.json("/reports/collectors/progress", period="month", on="2026-10-15")
    assert again == rows
