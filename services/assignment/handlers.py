"""Events assignment reacts to."""

from __future__ import annotations

from typing import Any

from services.assignment import service
from shared.bus.handlers import HandlerTable
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import CaseImported


def on_case_imported(uow: UnitOfWork, event: Envelope[Any]) -> None:
    payload: CaseImported = event.payload
    if event.case_id is None:
        raise ValueError("CaseImported without case_id")
    service.receive_case(uow, event.case_id, payload.client_id)


HANDLERS: HandlerTable = {CaseImported: [on_case_imported]}
