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
    LadderEntry,
    NextAction,
    Step,
    Treatment,
    next_action,
    treatment_for,
)
from services.assignment.strategy.models import ANY_PRODUCT, StrategyLadder
from shared.bus.work import UnitOfWork
from shared.clock import as_utc, to_local
from shared.errors import NotFound

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
    entry: LadderEntry | None = None,
) -> NextAction:
    return next_action(
        ladder_for(all_ladders, product_type),
        since,
        local_day(now),
        done_today=done_today,
        debtor=DebtorType(debtor_type) if debtor_type else None,
        entry=entry,
    )


def entry_of(row: Any) -> LadderEntry | None:
    """How the case joined the ladder, from our copy's columns (None: received before
    the rule, or never assigned a first contact)."""
    if row.first_contact_due is None:
        return None
    return LadderEntry(
        arrived=local_day(as_utc(row.entered_at or row.imported_at)),
        first_contact_due=as_utc(row.first_contact_due),
        first_contact_done=row.first_contact_at is not None,
        entry_step_done=row.entry_step_done_at is not None,
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
                CASES.c.entered_at,
                CASES.c.first_contact_due,
                CASES.c.first_contact_at,
                CASES.c.entry_step_done_at,
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
                entry=entry_of(row),
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


def contacts_made(session: Session, attempts: Sequence[tuple[str, datetime]]) -> None:
    """Contact attempts, in order, move a newly received case through its first contact
    and then its entry step; other cases are left as they are."""
    ids = list(dict.fromkeys(case_id for case_id, _ in attempts))
    state: dict[str, list[Any]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(CASES.c.id, CASES.c.first_contact_at, CASES.c.entry_step_done_at).where(
                CASES.c.id.in_(ids[start : start + 500]),
                CASES.c.first_contact_due.is_not(None),
                CASES.c.entry_step_done_at.is_(None),
            )
        )
        state.update((r.id, [r.first_contact_at, r.entry_step_done_at]) for r in rows)
    for case_id, at in attempts:
        known = state.get(case_id)
        if known is None or known[1] is not None:
            continue
        if known[0] is None:
            known[0] = at
        else:
            known[1] = at
    changes = [
        {"case_id": case_id, "first": first, "entry": entry}
        for case_id, (first, entry) in state.items()
    ]
    if changes:
        session.execute(
            update(CASES)
            .where(CASES.c.id == bindparam("case_id"))
            .values(first_contact_at=bindparam("first"), entry_step_done_at=bindparam("entry")),
            changes,
        )


def first_contact_from(session: Session, case_ids: Sequence[str], due: datetime) -> None:
    """Assigned now: the first contact of each case still waiting for one is due at
    ``due`` (2 hours after assignment)."""
    if not case_ids:
        return
    pending = CASES.c.first_contact_at.is_(None) & CASES.c.first_contact_due.is_not(None)
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        session.execute(
            update(CASES)
            .where(CASES.c.id.in_(chunk), pending)
            .values(first_contact_due=due, next_action_due=due)
        )


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


def case_of(session: Session, case_id: str) -> AssignedCase:
    """Our copy of the case (404 if we have none)."""
    case = session.get(AssignedCase, case_id)
    if case is None:
        raise NotFound("case")
    return case


def save_ladder(uow: UnitOfWork, product_type: str, steps: list[dict[str, Any]], by: str) -> None:
    """Keep the product's ladder and work out again the next action of every case on it."""
    row = uow.session.get(StrategyLadder, product_type) or StrategyLadder(
        product_type=product_type, steps=[], updated_by=by, updated_at=uow.now
    )
    row.steps = steps
    row.updated_by, row.updated_at = by, uow.now
    uow.session.add(row)
    uow.session.flush()
    replan(uow.session, cases_following(uow.session, product_type), uow.now)


def assess_debtor(uow: UnitOfWork, case_id: str, by: str, given: Mapping[str, Any]) -> AssignedCase:
    """``given``: the debtor's type and/or situation (each may be None: not known); the
    situation chooses the treatment, recorded with who chose it."""
    case = case_of(uow.session, case_id)
    if "debtor_type" in given:
        debtor_type = given["debtor_type"]
        case.debtor_type = debtor_type.value if debtor_type else None
    if "situation" in given:
        situation = given["situation"]
        case.situation = situation.value if situation else None
        case.treatment = treatment_for(situation).value if situation else None
        case.treatment_by, case.treatment_at = by, uow.now
    uow.session.add(case)
    uow.session.flush()
    replan(uow.session, [case.id], uow.now)
    uow.session.refresh(case)
    return case


def grant_treatment(case: AssignedCase, treatment: Treatment, by: str | None, at: datetime) -> None:
    """A granted special procedure becomes the case's treatment."""
    case.treatment = treatment.value
    case.treatment_by, case.treatment_at = by, at
