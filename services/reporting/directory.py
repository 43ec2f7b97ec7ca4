"""Who the collectors are and which of them (and so which figures) a caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting.models import LIVE
from services.reporting.money import fen
from shared.auth.principal import BRANCH_WIDE, COLLECTORS, EVERYTHING, TEAM_WIDE, Principal


@dataclass(frozen=True)
class Collector:
    collector_id: str
    name: str
    team_id: str | None
    branch_id: str | None
    monthly_quota: Decimal | None = None
    status: str = "active"


def collectors(session: Session) -> dict[str, Collector]:
    """Everyone named by `CollectorUpdated`, and anyone who only ever held a case (their
    team and branch then from their latest holding)."""
    c = LIVE.collectors
    found = {
        row.collector_id: Collector(
            row.collector_id,
            row.name,
            row.team_id,
            row.branch_id,
            None if row.monthly_quota is None else fen(row.monthly_quota),
            row.status,
        )
        for row in session.execute(select(c))
    }
    h = LIVE.holdings
    latest = (
        select(h.c.collector_id, func.max(h.c.since).label("since"))
        .group_by(h.c.collector_id)
        .subquery()
    )
    for collector_id, team_id, branch_id in session.execute(
        select(h.c.collector_id, h.c.team_id, h.c.branch_id).join(
            latest, (latest.c.collector_id == h.c.collector_id) & (latest.c.since == h.c.since)
        )
    ):
        if collector_id not in found:
            found[collector_id] = Collector(collector_id, collector_id, team_id, branch_id)
    return found


def may_see(principal: Principal, collector: Collector) -> bool:
    """A collector their own figures, a team lead and supervisor their team's, a branch
    manager their branch's, HQ and admins everyone's; banks no collector's."""
    role = principal.role
    if principal.is_bank:
        return False
    if role in EVERYTHING:
        return True
    if role in COLLECTORS:
        return collector.collector_id == principal.subject
    if role in TEAM_WIDE:
        return principal.team_id is not None and collector.team_id == principal.team_id
    if role in BRANCH_WIDE:
        return principal.branch_id is not None and collector.branch_id == principal.branch_id
    return False


def visible(principal: Principal, session: Session) -> dict[str, Collector]:
    return {k: c for k, c in collectors(session).items() if may_see(principal, c)}
