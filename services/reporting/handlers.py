"""Every event feeds the tally; the case events also feed the case facts.

Each handler takes a run of events and writes it with one set-based statement: reporting
consumes every topic of the platform and must keep up with all of them at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func

from services.reporting.models import CaseFact, EventTally
from shared.bus.handlers import Handled, HandlerTable, batched, merge_tables
from shared.db import upsert
from shared.events import EVENT_TYPES
from shared.events.catalog import CaseAssigned, CaseImported

FACTS = CaseFact.__table__
TALLY = EventTally.__table__


@batched
def tally(items: Sequence[Handled]) -> None:
    counts = Counter(event.type for _, event in items)
    last_seen = {event.type: event.occurred_at for _, event in items}
    rows = [
        {"event_type": name, "count": count, "last_seen_at": last_seen[name]}
        for name, count in counts.items()
    ]
    upsert(
        items[0][0].session,
        TALLY,
        rows,
        key=["event_type"],
        changes=lambda new: {"count": TALLY.c.count + new.count, "last_seen_at": new.last_seen_at},
    )


@batched
def on_case_imported(items: Sequence[Handled]) -> None:
    rows = [
        {
            "case_id": _case_id(event),
            "client_id": event.payload.client_id,
            "imported_at": event.occurred_at,
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        FACTS,
        rows,
        key=["case_id"],
        changes=lambda new: {"imported_at": new.imported_at},
    )


@batched
def on_case_assigned(items: Sequence[Handled]) -> None:
    """Events of two topics may arrive in either order; the fact row takes both."""
    rows = [
        {
            "case_id": _case_id(event),
            "client_id": event.payload.client_id,
            "assigned_at": event.payload.assigned_at,
            "collector_id": event.payload.collector_id,
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        FACTS,
        rows,
        key=["case_id"],
        changes=lambda new: {
            "assigned_at": func.coalesce(FACTS.c.assigned_at, new.assigned_at),
            "collector_id": new.collector_id,
        },
    )


def _case_id(event: Any) -> str:
    if not event.case_id:
        raise ValueError(f"{event.type} without case_id")
    return event.case_id


HANDLERS: HandlerTable = merge_tables(
    {CaseImported: [on_case_imported], CaseAssigned: [on_case_assigned]},
    {payload_type: [tally] for payload_type in EVENT_TYPES.values()},
)
