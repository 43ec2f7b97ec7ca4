"""The ladder each case follows, its next action kept on our copy of the case, and the
debtor's type and situation recorded on it. Never commits: the boundary does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from services.assignment.models import AssignedCase
from services.assignment.strategy.domain import (
    DEFAULT_LADDER,
    Action,
    Channel,
    DebtorType,
    NextAction,
    Step,
    next_action,
)
from services.assignment.strategy.models import ANY_PRODUCT, StrategyLadder
from shared.clock import to_local

CASES = AssignedCase.__table__
Ladders = Mapping[str, tuple[Step, ...]]


def steps_of(rows: Iterable[Mapping[str, Any]]) -> tuple[Step, ...]:
    return tuple(
        Step(int(r["day"]), Action(r["action"]), Channel(r["channel"]))
        for r in sorted(rows, key=lambda r: int(r["day"]))
    )


def ladders(session: Session) -> dict[str, tuple[Step, ...]]:
    """Every configured ladder by product type; ``*`` always present (the default)."""
    found = {
        row.product_type: steps_of(row.steps)
        for row in session.execute(select(StrategyLadder.__table__))
    }
    found.setdefault(ANY_PRODUCT, DEFAULT_LADDER)
    return found


def ladder_for(all_ladders: Ladders, product_type: str | None) -> tuple[Step, ...]:
    if product_type is not None and product_type in all_ladders:
        return all_ladders[product_type]
    return all_ladders[ANY_PRODUCT]


def local_day(moment: datetime) -> date:
    return to_local(moment).date()


def plan(
    all_ladders: Ladders,
    product_type: str | None,
    since: date,
    now: datetime,
    *,
    debtor_type: str | None = None,
    done_today: bool = False,
) -> NextAction:
    return next_action(
        ladder_for(all_ladders, product_type),
        since,
        local_day(now),
        done_today=done_today,
        debtor=DebtorType(debtor_type) if debtor_type else None,
    )


def next_action_columns(step: NextAction) -> dict[str, Any]:
    return {
        "next_action": step.action.value,
        "next_channel": step.channel.value,
        "next_action_due": step.due,
    }


def replan(
    session: Session, case_ids: Sequence[str], now: datetime, *, done_today: bool = False
) -> int:
    """Recompute the next action of the given cases (those we know) as of ``now``."""
    all_ladders = ladders(session)
    changes: list[dict[str, Any]] = []
    for start in range(0, len(case_ids), 500):
        rows = session.execute(
            select(
                CASES.c.id,
                CASES.c.product_type,
                CASES.c.overdue_since,
                CASES.c.imported_at,
                CASES.c.debtor_type,
            ).where(CASES.c.id.in_(case_ids[start : start + 500]))
        )
        for row in rows:
            since = row.overdue_since or local_day(row.imported_at)
            step = plan(
                all_ladders,
                row.product_type,
                since,
                now,
                debtor_type=row.debtor_type,
                done_today=done_today,
            )
            changes.append({"case_id": row.id, **next_action_columns(step)})
    if changes:
        session.execute(
            update(CASES)
            .where(CASES.c.id == bindparam("case_id"))
            .values(
                next_action=bindparam("next_action"),
                next_channel=bindparam("next_channel"),
                next_action_due=bindparam("next_action_due"),
            ),
            changes,
        )
    return len(changes)


def cases_following(session: Session, product_type: str) -> list[str]:
    """The cases whose ladder is this product's (``*``: products without their own)."""
    query = select(CASES.c.id)
    if product_type == ANY_PRODUCT:
        own = set(ladders(session)) - {ANY_PRODUCT}
        query = query.where(
            CASES.c.product_type.is_(None) | CASES.c.product_type.not_in(own or {""})
        )
    else:
        query = query.where(CASES.c.product_type == product_type)
    return list(session.execute(query).scalars())
