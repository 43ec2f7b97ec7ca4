"""Events assignment reacts to."""

from __future__ import annotations

from collections.abc import Sequence

from services.assignment.placing.service import arrival_of, receive_cases
from shared.bus.handlers import Handled, HandlerTable, batched
from shared.events.catalog import CaseImported


@batched
def on_cases_imported(items: Sequence[Handled]) -> None:
    for _, event in items:
        if event.case_id is None:
            raise ValueError("CaseImported without case_id")
    first = items[0][0]
    receive_cases(
        first.session,
        first.now,
        [arrival_of(uow, event.case_id, event.payload) for uow, event in items],
    )


HANDLERS: HandlerTable = {CaseImported: [on_cases_imported]}
