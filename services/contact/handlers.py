"""Contact keeps its own copy of each case and of who works it (set-based, per run)."""

from __future__ import annotations

from collections.abc import Sequence

from services.contact.models import ContactCase
from shared.bus.handlers import Handled, HandlerTable, batched
from shared.db import upsert
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned

CASES = ContactCase.__table__


@batched
def on_case_imported(items: Sequence[Handled]) -> None:
    rows = [
        {
            "id": event.case_id,
            "client_id": event.payload.client_id,
            "received_at": event.occurred_at,
            "phone_count": len({p.number for p in event.payload.debtor.phones}),
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        CASES,
        rows,
        key=["id"],
        changes=lambda new: {"phone_count": new.phone_count},
    )


@batched
def on_case_assigned(items: Sequence[Handled]) -> None:
    """Assignment may overtake import (two topics): keep the collector either way."""
    rows = [
        {
            "id": event.case_id,
            "client_id": event.payload.client_id,
            "received_at": event.occurred_at,
            "collector_id": event.payload.collector_id,
            "phone_count": 0,
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        CASES,
        rows,
        key=["id"],
        changes=lambda new: {"collector_id": new.collector_id},
    )


HANDLERS: HandlerTable = {
    CaseImported: [on_case_imported],
    CaseAssigned: [on_case_assigned],
    CaseReassigned: [on_case_assigned],
}
