"""Ordering a client's 5-year purge: refused before retention ends or when done before;
intake removes its own part in the same transaction and announces the order to the
other services (ClientPurgeOrdered), each of which removes its part once."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from services.intake.domain import latest_retention, purge_not_due
from services.intake.models import PURGE_RUNS, SECURITY, Agreement, Client
from services.intake.purge import PLAN
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.errors import NotFound, ProblemError
from shared.events.catalog import ClientPurgeOrdered
from shared.purge.runs import carry_out


def order_purge(
    uow: UnitOfWork, settings: Any, client_id: str, ordered_by: str, reason: str
) -> tuple[ClientPurgeOrdered, dict[str, int]]:
    session = uow.session
    if session.get(Client, client_id) is None:
        raise NotFound("client")
    done = session.execute(
        select(PURGE_RUNS.c.purge_id).where(PURGE_RUNS.c.client_id == client_id)
    ).first()
    if done is not None:
        raise ProblemError(
            409, f"client {client_id} was purged before (purge {done.purge_id})",
            title="Already purged",
        )  # fmt: skip
    agreements = session.execute(
        select(Agreement.id, Agreement.end_date).where(Agreement.client_id == client_id)
    ).all()
    ends = [a.end_date for a in agreements]
    refused = purge_not_due(ends, to_local(uow.now).date())
    if refused is not None:
        raise ProblemError(
            409, f"client {client_id} may not be purged yet: {refused}",
            title="Retention has not ended",
        )  # fmt: skip
    order = ClientPurgeOrdered(
        purge_id=str(uuid.uuid4()),
        client_id=client_id,
        agreement_ids=tuple(sorted(a.id for a in agreements)),
        retention_until=latest_retention(ends),
        ordered_by=ordered_by,
        reason=reason,
        ordered_at=uow.now,
    )
    removed = carry_out(session, PLAN, settings, order, uow.now, SECURITY.audit_log)
    uow.emit(order, case_id=client_id)
    return order, removed or {}
