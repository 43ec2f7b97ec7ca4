"""Ordering a client's 5-year purge: refused before retention ends or when done before;
intake removes its own part in the same transaction and announces the order to the
other services (ClientPurgeOrdered), each of which removes its part once."""

from __future__ import annotations

import uuid
from typing import Any

from services.intake.agreements.domain import latest_retention, purge_not_due
from services.intake.clients import store as clients
from services.intake.models import SECURITY
from services.intake.purges import store
from services.intake.purges.plan import PLAN
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.errors import NotFound, ProblemError
from shared.events.catalog import ClientPurgeOrdered
from shared.purge.runs import carry_out


def order_purge(
    uow: UnitOfWork, settings: Any, client_id: str, ordered_by: str, reason: str
) -> tuple[ClientPurgeOrdered, dict[str, int]]:
    session = uow.session
    if clients.get_client(session, client_id) is None:
        raise NotFound("client")
    done = store.earlier_purge(session, client_id)
    if done is not None:
        raise ProblemError(
            409, f"client {client_id} was purged before (purge {done})",
            title="Already purged",
        )  # fmt: skip
    agreements = store.agreement_ends(session, client_id)
    ends = [end for _id, end in agreements]
    refused = purge_not_due(ends, to_local(uow.now).date())
    if refused is not None:
        raise ProblemError(
            409, f"client {client_id} may not be purged yet: {refused}",
            title="Retention has not ended",
        )  # fmt: skip
    order = ClientPurgeOrdered(
        purge_id=str(uuid.uuid4()),
        client_id=client_id,
        agreement_ids=tuple(sorted(agreement_id for agreement_id, _end in agreements)),
        retention_until=latest_retention(ends),
        ordered_by=ordered_by,
        reason=reason,
        ordered_at=uow.now,
    )
    removed = carry_out(session, PLAN, settings, order, uow.now, SECURITY.audit_log)
    uow.emit(order, case_id=client_id)
    return order, removed or {}
