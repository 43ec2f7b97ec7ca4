"""Assignment orders a visit: contact keeps the order so the named field collector can
file the report against it. An order announced again (a handover, or its due date
recounted when a year's working days were loaded) updates the copy."""

from __future__ import annotations

from collections.abc import Sequence

from services.contact.field_visits.models import FieldVisit
from shared.bus.handlers import Handled, batched
from shared.db import upsert

VISITS = FieldVisit.__table__


@batched
def on_field_visit_ordered(items: Sequence[Handled]) -> None:
    rows = [
        {
            "id": event.payload.visit_id,
            "case_id": event.case_id,
            "field_collector_id": event.payload.field_collector_id,
            "ordered_by": event.payload.ordered_by,
            "due_by": event.payload.due_by,
            "due_estimated": event.payload.due_estimated,
            "ordered_at": event.occurred_at,
            "status": "ordered",
        }
        for _, event in items
        if event.case_id is not None
    ]
    upsert(
        items[0][0].session,
        VISITS,
        rows,
        key=["id"],
        changes=lambda new: {
            "field_collector_id": new.field_collector_id,
            "due_by": new.due_by,
            "due_estimated": new.due_estimated,
        },
    )
