"""Reporting's part of the 5-year purge: the read models keep every figure (amounts,
dates, outcomes, who worked the case) so last year's reports add up as before; the bank's
account reference becomes the case id and free text (timeline details, approval reasons)
is blanked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.reporting.models import METADATA, PURGE_RUNS
from shared.purge import plan as engine
from shared.purge.plan import Blank, ByCase, ByClient, PurgePlan, bus_rules

PLAN = PurgePlan(
    metadata=METADATA,
    runs=PURGE_RUNS,
    cases="rm_cases",
    case_id="case_id",
    rules=(
        Blank("rm_timeline", ByCase(), ("detail",), id_column="event_id"),
        Blank("rm_approvals", ByCase(), ("reason", "next_steps"), id_column="approval_id"),
        Blank("rm_cases", ByClient(), (), to_id=("account_ref",), id_column="case_id"),
        *bus_rules(),
    ),
)


def reapply_purges(session: Session, settings: Any) -> int:
    """Blank again every purged client's rows in read models rebuilt from the topics (which
    may still carry the events from before the purge); returns how many clients."""
    clients = list(session.execute(select(PURGE_RUNS.c.client_id).distinct()).scalars())
    for client_id in clients:
        engine.apply(session, PLAN, settings, client_id)
    return len(clients)
