"""Every consuming service obeys a purge order: one handler, in each one's table."""

from __future__ import annotations

from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import ClientPurgeOrdered
from shared.logging import get_logger
from shared.purge.runs import carry_out

log = get_logger(__name__)


def on_purge_ordered(uow: UnitOfWork, event: Envelope[ClientPurgeOrdered]) -> None:
    """Carry out the service's purge plan (``uow.context``) for the order's client."""
    context, order = uow.context, event.payload
    removed = carry_out(
        uow.session,
        context.purge_plan(),
        context.settings,
        order,
        uow.now,
        context.security.audit_log,
    )
    log.info(
        "client_purged" if removed is not None else "client_purge_already_done",
        purge_id=order.purge_id,
        client_id=order.client_id,
        removed=removed,
    )
