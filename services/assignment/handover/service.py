"""A collector leaving or going on leave hands their open cases over in one record: to
named phone collectors (most spare capacity first), else back through the rules; a case
nobody can take goes to the queue with the reason. A field collector's open visit orders
go to the field collector named among the successors. Never commits: the boundary does."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from services.assignment.field_visits.service import hand_over_visits
from services.assignment.handover.models import Handover, HandoverCase
from services.assignment.models import WORKDAYS, AssignedCase, Staff, StaffStatus, Team
from services.assignment.placing import store
from services.assignment.placing.by_hand import assignable_collector
from services.assignment.placing.domain import CaseFacts, Collector, best, first_action_due
from services.assignment.placing.service import ASSIGN_WITHIN_WORKDAYS
from services.assignment.teams.service import announce_collector, managed_member
from shared.auth.principal import COLLECTORS, Principal, Role
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.errors import ProblemError
from shared.events.catalog import CaseReassigned
from shared.workdays.tables import load_calendar

CASES = AssignedCase.__table__
REASON = "handover"


@dataclass(frozen=True)
class Move:
    facts: CaseFacts
    to: Collector | None
    why: str


def hand_over(
    uow: UnitOfWork,
    principal: Principal,
    leaver_id: str,
    leaving: StaffStatus,
    notes: str,
    successor_ids: Sequence[str],
) -> Handover:
    session = uow.session
    leaver = managed_member(session, principal, leaver_id)
    if leaver.role not in COLLECTORS:
        raise ProblemError(422, "from_collector_id is not a collector")
    if leaving is StaffStatus.ACTIVE:
        raise ProblemError(422, "a handover is for a collector leaving or going on leave")
    if leaver_id in successor_ids:
        raise ProblemError(422, "a collector cannot be their own successor")
    named = [assignable_collector(session, principal, s) for s in successor_ids]
    callers = [store.collector_of(m) for m in named if m.role == Role.PHONE_COLLECTOR.value]
    field = next((m for m in named if m.role == Role.FIELD_COLLECTOR.value), None)
    leaver.status, leaver.active = leaving.value, leaving is not StaffStatus.LEFT
    session.add(leaver)
    session.flush()
    announce_collector(uow, leaver)
    moves = _moves(session, leaver.id, callers, to_local(uow.now).date())
    handover = Handover(
        id=str(uuid.uuid4()),
        from_collector_id=leaver.id,
        reason=leaving.value,
        notes=notes,
        supervised_by=_team_lead(session, principal, leaver),
        by_staff_id=principal.subject,
        team_id=leaver.team_id,
        at=uow.now,
        moved=sum(1 for m in moves if m.to is not None),
        queued=sum(1 for m in moves if m.to is None),
    )
    handover.visits_moved = hand_over_visits(
        uow, leaver, field, {m.facts.case_id: m.to.id for m in moves if m.to}
    )
    session.add(handover)
    session.add_all(
        HandoverCase(
            handover_id=handover.id,
            case_id=m.facts.case_id,
            to_collector_id=m.to.id if m.to else None,
            queued_reason=None if m.to else m.why,
        )
        for m in moves
    )
    _apply(uow, leaver, handover, moves)
    session.flush()
    return handover


def _team_lead(session: Session, principal: Principal, leaver: Staff) -> str | None:
    if principal.role is Role.TEAM_LEAD:
        return principal.subject
    team = session.get(Team, leaver.team_id) if leaver.team_id else None
    return team.lead_id if team else None


def _moves(
    session: Session, leaver_id: str, successors: list[Collector], today: date
) -> list[Move]:
    """Named successors first, each case to the one with the most spare capacity; what
    they cannot take goes through the rules (the leaver is no longer active)."""
    rows = session.execute(
        select(CASES)
        .where(CASES.c.collector_id == leaver_id, CASES.c.closed_at.is_(None))
        .order_by(CASES.c.id)
    )
    cases = [store.facts_of(row, today) for row in rows]
    pool = store.pool(session)
    in_pool = {c.id: c for c in pool.collectors}
    successors = [in_pool.get(c.id, c) for c in successors]  # one count per collector
    moves: list[Move] = []
    for facts in cases:
        chosen = best(c for c in successors if c.spare > 0)
        if chosen is not None:
            chosen.open_cases += 1
            moves.append(Move(facts, chosen, "named successor"))
            continue
        placement = pool.place(facts)
        why = placement.reason or (f"rule: {placement.rule.name}" if placement.rule else "rules")
        moves.append(Move(facts, placement.collector, why))
    return moves


def _apply(uow: UnitOfWork, leaver: Staff, handover: Handover, moves: list[Move]) -> None:
    session, now = uow.session, uow.now
    moved = [m for m in moves if m.to is not None]
    queued = [m for m in moves if m.to is None]
    takers = {m.to.id: m.to for m in moved if m.to}
    store.hold(
        session,
        [
            {"case_id": m.facts.case_id, "collector_id": m.to.id, "team_id": m.to.team_id}
            for m in moved
            if m.to
        ],
        now,
    )
    store.add_history(
        session,
        [
            {
                "case_id": m.facts.case_id,
                "from_collector_id": leaver.id,
                "to_collector_id": m.to.id,
                "team_id": m.to.team_id,
                "at": now,
                "how": REASON,
                "by_staff_id": handover.by_staff_id,
                "reason": f"handover {handover.id}: {m.why}"[:500],
            }
            for m in moved
            if m.to
        ],
    )
    _queue(session, uow, leaver, queued)
    store.save_loads(session, list(takers.values()))
    leaver.open_cases = 0
    session.add(leaver)
    store.show_holders(session, [_scope(m, leaver) for m in moves])
    due = first_action_due(now)
    for m in moved:
        assert m.to is not None
        uow.emit(
            CaseReassigned(
                client_id=m.facts.client_id,
                from_collector_id=leaver.id,
                collector_id=m.to.id,
                team_id=m.to.team_id,
                branch_id=m.to.branch_id,
                reason=REASON,
                reassigned_at=now,
                due_first_action_by=due,
            ),
            case_id=m.facts.case_id,
        )


def _queue(session: Session, uow: UnitOfWork, leaver: Staff, queued: list[Move]) -> None:
    """Back in the queue with the reason and a fresh 1-business-day clock."""
    if not queued:
        return
    deadline = load_calendar(session, WORKDAYS).add_workdays(uow.now, ASSIGN_WITHIN_WORKDAYS)
    session.execute(
        update(CASES)
        .where(CASES.c.id == bindparam("case_id"))
        .values(
            collector_id=None,
            assigned_at=None,
            waiting_reason=bindparam("reason"),
            assign_due_by=deadline.due,
            due_estimated=deadline.estimated,
            assign_clock_from=uow.now,
        ),
        [
            {"case_id": m.facts.case_id, "reason": f"handover from {leaver.name}: {m.why}"[:200]}
            for m in queued
        ],
    )


def _scope(m: Move, leaver: Staff) -> dict[str, Any]:
    """Who may see the case now; a queued case stays visible to the leaver's team."""
    holder = m.to
    return {
        "case_id": m.facts.case_id,
        "client_id": m.facts.client_id,
        "collector_id": holder.id if holder else None,
        "team_id": holder.team_id if holder else leaver.team_id,
        "branch_id": holder.branch_id if holder else leaver.branch_id,
    }
