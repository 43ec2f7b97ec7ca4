"""Events into the read models: one set-based statement per run of events, idempotent.

Every write is keyed on the event's own natural key (attempt id, payment reference, …) or
keeps the earliest/latest value by the event's own time, so applying an event twice, or
the topics' events in another interleaving (a rebuild), gives the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from services.reporting.readmodel.writes import latest, read_model_of, write
from services.reporting.timeline.domain import detail_of
from shared.bus.handlers import Handled, batched
from shared.db import upsert


@batched
def on_case_event(items: Sequence[Handled]) -> None:
    """The case's timeline: every event that names a case."""
    write(
        items,
        read_model_of(items).timeline,
        ["event_id"],
        lambda e: (
            {
                "event_id": str(e.event_id),
                "case_id": e.case_id,
                "event_type": e.type,
                "at": e.occurred_at,
                "detail": detail_of(e),
            }
            if e.case_id
            else None
        ),
    )


@batched
def tally(items: Sequence[Handled]) -> None:
    """How many events of each type arrived, and the latest one's time."""
    tally_table = read_model_of(items).event_tally
    counts = Counter(event.type for _, event in items)
    last_seen: dict[str, Any] = {}
    for _, event in items:
        last_seen[event.type] = max(event.occurred_at, last_seen.get(event.type, event.occurred_at))
    rows = [
        {"event_type": name, "count": count, "last_seen_at": last_seen[name]}
        for name, count in counts.items()
    ]
    upsert(
        items[0][0].session,
        tally_table,
        rows,
        key=["event_type"],
        changes=lambda new: {
            "count": tally_table.c.count + new["count"],
            "last_seen_at": latest(tally_table, new, "last_seen_at"),
        },
    )
