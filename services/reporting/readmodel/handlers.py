"""Events into the read models: one set-based statement per run of events, idempotent.

Every write is keyed on the event's own natural key (attempt id, payment reference, …) or
keeps the earliest/latest value by the event's own time, so applying an event twice, or
the topics' events in another interleaving (a rebuild), gives the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from services.reporting.readmodel.cases import case_handlers
from services.reporting.readmodel.desk import desk_handlers, incident_handlers
from services.reporting.readmodel.placements import placement_handlers
from services.reporting.readmodel.tables import ReadModel
from services.reporting.readmodel.timeline import detail_of
from services.reporting.readmodel.writes import latest, write
from shared.bus.handlers import Handled, HandlerTable, batched, merge_tables
from shared.db import upsert
from shared.events import EVENT_TYPES


def handlers_for(rm: ReadModel) -> HandlerTable:
    """The handler table that keeps ``rm`` (the live set, or a rebuild's)."""
    on_any_case_event = write(
        rm.timeline,
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
    tally_table = rm.event_tally

    @batched
    def tally(items: Sequence[Handled]) -> None:
        counts = Counter(event.type for _, event in items)
        last_seen: dict[str, Any] = {}
        for _, event in items:
            last_seen[event.type] = max(
                event.occurred_at, last_seen.get(event.type, event.occurred_at)
            )
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

    return merge_tables(
        case_handlers(rm),
        desk_handlers(rm),
        incident_handlers(rm),
        placement_handlers(rm),
        {
            payload_type: [tally, on_any_case_event]
            for payload_type in EVENT_TYPES.values()
            if payload_type.producer != "reporting"
        },
    )
