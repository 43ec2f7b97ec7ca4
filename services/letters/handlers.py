"""Letters keeps its own copy of each case: amount owed, overdue date, who works it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from services.letters.models import WORKDAYS, LetterCase
from shared.bus.handlers import Handled, HandlerTable, batched, merge_tables
from shared.db import upsert
from shared.events.catalog import CaseAssigned, CaseImported
from shared.workdays.tables import workday_handlers

CASES = LetterCase.__table__


@batched
def on_case_imported(items: Sequence[Handled]) -> None:
    rows = [
        {
            "id": event.case_id,
            "client_id": event.payload.client_id,
            "received_at": event.occurred_at,
            "total_owed": event.payload.debt.total_owed,
            "overdue_since": event.payload.overdue_since,
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        CASES,
        rows,
        key=["id"],
        changes=lambda new: {"total_owed": new.total_owed, "overdue_since": new.overdue_since},
    )


@batched
def on_case_assigned(items: Sequence[Handled]) -> None:
    rows = [
        {
            "id": event.case_id,
            "client_id": event.payload.client_id,
            "received_at": event.occurred_at,
            "total_owed": Decimal("0"),
            "collector_id": event.payload.collector_id,
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


HANDLERS: HandlerTable = merge_tables(
    {CaseImported: [on_case_imported], CaseAssigned: [on_case_assigned]},
    workday_handlers(WORKDAYS),
)
