"""Every consuming service obeys a purge order: one handler, wired by the runtime."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from shared.bus.handlers import HandlerTable
from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import ClientPurgeOrdered
from shared.logging import get_logger
from shared.purge.plan import PurgePlan
from shared.purge.runs import carry_out

log = get_logger(__name__)


def purge_handlers(plan: PurgePlan, settings: Any, audit_log: Table) -> HandlerTable:
    def on_purge_ordered(uow: UnitOfWork, event: Envelope[ClientPurgeOrdered]) -> None:
        order = event.payload
        removed = carry_out(uow.session, plan, settings, order, uow.now, audit_log)
        log.info(
            "client_purged" if removed is not None else "client_purge_already_done",
            purge_id=order.purge_id,
            client_id=order.client_id,
            removed=removed,
        )

    return {ClientPurgeOrdered: [on_purge_ordered]}
