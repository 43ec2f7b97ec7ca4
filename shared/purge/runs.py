"""A service's record of each purge it carried out: who ordered it and when (from the
order), what it removed and when it finished. One row per purge id, so a re-delivered
order finds its run and does nothing twice; the run is also in the audit trail."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, select
from sqlalchemy.orm import Session

from shared.events.catalog import ClientPurgeOrdered
from shared.purge import plan as engine
from shared.purge.plan import PurgePlan


def purge_runs_table(metadata: MetaData) -> Table:
    return Table(
        "purge_runs",
        metadata,
        Column("purge_id", String(36), primary_key=True),
        Column("client_id", String(64), nullable=False, index=True),
        Column("ordered_by", String(64), nullable=False),
        Column("ordered_at", DateTime(timezone=True), nullable=False),
        Column("reason", Text, nullable=False),
        Column("retention_until", String(10), nullable=False),
        Column("finished_at", DateTime(timezone=True), nullable=False),
        Column("removed", Text, nullable=False),
    )


def run_of(session: Session, runs: Table, purge_id: str) -> Any:
    return session.execute(select(runs).where(runs.c.purge_id == purge_id)).first()


def carry_out(
    session: Session,
    plan: PurgePlan,
    settings: Any,
    order: ClientPurgeOrdered,
    now: datetime,
    audit_log: Table,
) -> dict[str, int] | None:
    """This service's part of the purge, recorded once: None when it was carried out
    before. A repeat still removes what came back since (rows blanked again, e.g. by a
    read-model rebuild), which the first run's record does not count."""
    done = run_of(session, plan.runs, order.purge_id) is not None
    removed = engine.apply(session, plan, settings, order.client_id)
    if done:
        return None
    session.execute(
        plan.runs.insert().values(
            purge_id=order.purge_id,
            client_id=order.client_id,
            ordered_by=order.ordered_by,
            ordered_at=order.ordered_at,
            reason=order.reason,
            retention_until=order.retention_until.isoformat(),
            finished_at=now,
            removed=json.dumps(removed, sort_keys=True),
        )
    )
    session.execute(
        audit_log.insert().values(
            at=now,
            subject=order.ordered_by,
            subject_kind="staff",
            role="admin",
            action="purge",
            method="EVENT",
            path=f"ClientPurgeOrdered/{order.purge_id}",
            client_id=order.client_id,
            outcome="purged",
        )
    )
    return removed
