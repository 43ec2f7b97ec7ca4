"""Automatic placement of new and waiting cases. Never commits: the boundary does."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from services.assignment.models import WORKDAYS, AssignedCase, Staff, StaffStatus
from services.assignment.placing import store
from services.assignment.placing.domain import (
    CaseFacts,
    Collector,
    Placement,
    best,
    first_action_due,
)
from services.assignment.strategy.domain import LadderEntry, NextAction
from services.assignment.strategy.service import (
    Ladders,
    first_contact_from,
    ladders,
    local_day,
    next_action_columns,
    plan,
)
from shared.auth.principal import COLLECTORS, Role
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned
from shared.pastdue import bucket_on, first_overdue_of
from shared.places import timezone_from_address
from shared.workdays import WorkdayCalendar
from shared.workdays.calendar import Deadline
from shared.workdays.tables import load_calendar

ASSIGN_WITHIN_WORKDAYS = 1


@dataclass(frozen=True)
class Arrival:
    """A case that reached assignment, with the unit of work its events are emitted in."""

    uow: UnitOfWork
    facts: CaseFacts
    entered_at: datetime
    overdue_since: date | None = None
    timezone: str | None = None
    agreement_id: str | None = None


def arrival_of(
    uow: UnitOfWork, case_id: str, payload: CaseImported, today: date | None = None
) -> Arrival:
    """The case as the rules see it: its bucket is counted (shared.pastdue) to the day it
    is placed (``today``: the local day of ``uow.now``, passed once for a batch), not
    taken from the file."""
    since = first_overdue_of(payload)
    facts = CaseFacts(
        case_id=case_id,
        client_id=payload.client_id,
        product_type=payload.product_type,
        bucket=bucket_on(since, today or local_day(uow.now)),
        region=payload.branch,
        amount=payload.debt.total_owed,
    )
    zone = timezone_from_address(payload.home_address, payload.work_address)
    return Arrival(uow, facts, payload.received_at, since, zone, payload.agreement_id)


@dataclass
class _Entry:
    """A batch's entry clocks: the 1-business-day deadline and the first ladder step,
    worked out once per distinct entry time and ladder start (a bank's file arrives with
    one received time), from the calendar and ladders read once for the batch."""

    calendar: WorkdayCalendar
    ladders: Ladders
    now: datetime
    _deadlines: dict[tuple[datetime, object], tuple[Deadline, date]] = field(default_factory=dict)
    _steps: dict[tuple[str | None, date, date], NextAction] = field(default_factory=dict)

    def deadline(self, entered_at: datetime) -> tuple[Deadline, date]:
        """The deadline and the local day of entry."""
        key = (entered_at, entered_at.tzinfo)
        if key not in self._deadlines:
            due = self.calendar.add_workdays(entered_at, ASSIGN_WITHIN_WORKDAYS)
            self._deadlines[key] = (due, local_day(entered_at))
        return self._deadlines[key]

    def step(self, product_type: str | None, since: date, arrived: date) -> NextAction:
        key = (product_type, since, arrived)
        if key not in self._steps:
            entry = LadderEntry(arrived=arrived, first_contact_due=first_action_due(self.now))
            self._steps[key] = plan(self.ladders, product_type, since, self.now, entry=entry)
        return self._steps[key]


def receive_cases(session: Session, now: datetime, arrivals: Sequence[Arrival]) -> int:
    """New cases from intake: keep our copy of each, with its 1-business-day clock from
    entry, and place the unheld ones; a case seen before keeps its collector. Returns how
    many were placed.

    Set-based: the batch's known cases are read first, the placements worked out, and each
    new case written once with its holder (or queue reason) already on it; only cases we
    knew before are updated afterwards."""
    clocks = _Entry(load_calendar(session, WORKDAYS), ladders(session), now)
    held = store.holders(session, list(dict.fromkeys(a.facts.case_id for a in arrivals)))
    # Of a case arriving twice in one batch, the copy keeps the last, placement the first.
    rows = {
        a.facts.case_id: _case_row(clocks, a, now) for a in arrivals if a.facts.case_id not in held
    }
    unheld: dict[str, tuple[UnitOfWork, CaseFacts]] = {}
    for a in arrivals:
        if held.get(a.facts.case_id) is None:
            unheld.setdefault(a.facts.case_id, (a.uow, a.facts))
    placements = _placements(session, list(unheld.values()))
    due = first_action_due(now)
    for _, p in placements:
        row = rows.get(p.case.case_id)
        if row is not None:
            row.update(_placement_columns(p, now, due))
    if store.add_cases(session, list(rows.values())) != len(rows):
        raise RuntimeError("a new case's copy was written meanwhile; the batch goes again")
    return _record(session, now, placements, written=rows.keys())


def _placement_columns(p: Placement, now: datetime, due: datetime) -> dict[str, object]:
    """A new case's copy as placing leaves it: held from now with its first contact due
    (as ``hold`` and ``first_contact_from`` leave a known one), else queued with the reason."""
    member = p.collector
    if member is None:
        return {
            "collector_id": None,
            "team_id": p.team_id,
            "assigned_at": None,
            "waiting_reason": p.reason,
        }
    return {
        "collector_id": member.id,
        "team_id": member.team_id,
        "assigned_at": now,
        "waiting_reason": None,
        "first_contact_due": due,
        "next_action_due": due,
    }


def _case_row(clocks: _Entry, arrival: Arrival, now: datetime) -> dict[str, object]:
    facts = arrival.facts
    deadline, arrived = clocks.deadline(arrival.entered_at)
    # An unknown first overdue day: the ladder counts from entry (0 days past due then).
    since = arrival.overdue_since or arrived
    step = clocks.step(facts.product_type, since, arrived)
    return {
        "id": facts.case_id,
        "client_id": facts.client_id,
        "imported_at": now,
        "product_type": facts.product_type,
        "bucket": facts.bucket,
        "region": facts.region,
        "amount": facts.amount,
        "entered_at": arrival.entered_at,
        "assign_due_by": deadline.due,
        "due_estimated": deadline.estimated,
        "overdue_since": arrival.overdue_since,
        "first_contact_due": first_action_due(now),
        "timezone": arrival.timezone,
        "agreement_id": arrival.agreement_id,
        **next_action_columns(step),
    }


def place(session: Session, now: datetime, cases: Sequence[tuple[UnitOfWork, CaseFacts]]) -> int:
    """Route each case by the rules and give it to the team's best collector, announced as
    ``CaseAssigned`` in its own unit of work; a case nobody can take waits with the reason.
    Returns how many were placed."""
    return _record(session, now, _placements(session, cases))


def _placements(
    session: Session, cases: Sequence[tuple[UnitOfWork, CaseFacts]]
) -> list[tuple[UnitOfWork, Placement]]:
    """Each case's placement, in order, from one reading of the rules and the collectors."""
    if not cases:
        return []
    pool = store.pool(session)
    return [(uow, pool.place(facts)) for uow, facts in cases]


def _record(
    session: Session,
    now: datetime,
    placements: Sequence[tuple[UnitOfWork, Placement]],
    written: Collection[str] = (),
) -> int:
    """Write the placements of known cases (``written``: new copies that already carry
    theirs), the history, loads and visibility, and announce each holder. Returns how
    many were placed."""
    placed = [(uow, p) for uow, p in placements if p.collector is not None]
    store.set_waiting(
        session,
        [
            {"case_id": p.case.case_id, "team_id": p.team_id, "reason": p.reason}
            for _, p in placements
            if p.collector is None and p.case.case_id not in written
        ],
    )
    if not placed:
        return 0
    holders: dict[str, Collector] = {}
    holds, history, scopes = [], [], []
    for _, p in placed:
        member = p.collector
        assert member is not None
        holders[member.id] = member
        if p.case.case_id not in written:
            holds.append(
                {"case_id": p.case.case_id, "collector_id": member.id, "team_id": member.team_id}
            )
        history.append(
            {
                "case_id": p.case.case_id,
                "to_collector_id": member.id,
                "team_id": member.team_id,
                "at": now,
                "how": "rule",
                "rule_id": p.rule.id if p.rule else None,
                "reason": f"rule: {p.rule.name}" if p.rule else "no rule matched: any team",
            }
        )
        scopes.append(
            {
                "case_id": p.case.case_id,
                "client_id": p.case.client_id,
                "collector_id": member.id,
                "team_id": member.team_id,
                "branch_id": member.branch_id,
            }
        )
    store.hold(session, holds, now)
    store.save_loads(session, list(holders.values()))
    store.add_history(session, history)
    store.show_holders(session, scopes)
    due = first_action_due(now)
    first_contact_from(session, [h["case_id"] for h in holds], due)
    for uow, p in placed:
        member = p.collector
        assert member is not None
        uow.emit(
            CaseAssigned(
                client_id=p.case.client_id,
                collector_id=member.id,
                team_id=member.team_id,
                branch_id=member.branch_id,
                assigned_at=now,
                due_first_action_by=due,
            ),
            case_id=p.case.case_id,
        )
    return len(placed)


def place_waiting(uow: UnitOfWork) -> int:
    """Cases in the queue get another chance once a collector or rule changes."""
    waiting = [(uow, facts) for facts in store.waiting(uow.session, local_day(uow.now))]
    return place(uow.session, uow.now, waiting)


def held_case(session: Session, case_id: str) -> AssignedCase:
    """Our copy of the case (404 if we have none)."""
    case = store.case(session, case_id)
    if case is None:
        raise NotFound("case")
    return case


HANDOVER = "handover"
CASES = AssignedCase.__table__


@dataclass(frozen=True)
class Reassignment:
    """Where a leaver's case goes (``to`` is None: back to the queue) and why."""

    facts: CaseFacts
    to: Collector | None
    why: str


def managed_case_in(session: Session, teams: set[str] | None, case_id: str) -> AssignedCase:
    """The case, if ``teams`` (``None``: every team) hold it or it is queued with no team;
    closed: 409; otherwise 404."""
    case = session.get(AssignedCase, case_id)
    if case is None:
        raise NotFound("case")
    unrouted = case.collector_id is None and case.team_id is None
    if teams is not None and case.team_id not in teams and not unrouted:
        raise NotFound("case")
    if case.closed_at is not None:
        raise Conflict(f"the case is closed ({case.close_outcome})")
    return case


def assignable_member(session: Session, teams: set[str] | None, collector_id: str) -> Staff:
    """An active collector in one of ``teams`` (``None``: any team); 422 otherwise."""
    member = session.get(Staff, collector_id)
    if member is None or member.role not in COLLECTORS:
        raise ProblemError(422, "collector_id is not a collector")
    if member.status != StaffStatus.ACTIVE.value:
        raise ProblemError(422, f"the collector is {member.status}")
    if teams is not None and member.team_id not in teams:
        raise ProblemError(422, "the collector is not in a team you manage")
    return member


def successors_of(
    session: Session, teams: set[str] | None, successor_ids: Sequence[str]
) -> tuple[list[Collector], Staff | None]:
    """The named phone collectors (as placing counts them) and the first field collector."""
    named = [assignable_member(session, teams, s) for s in successor_ids]
    callers = [store.collector_of(m) for m in named if m.role == Role.PHONE_COLLECTOR.value]
    field_collector = next((m for m in named if m.role == Role.FIELD_COLLECTOR.value), None)
    return callers, field_collector


def plan_reassignment(
    session: Session, leaver_id: str, successors: Sequence[Collector], today: date
) -> list[Reassignment]:
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
    moves: list[Reassignment] = []
    for facts in cases:
        chosen = best(c for c in successors if c.spare > 0)
        if chosen is not None:
            chosen.open_cases += 1
            moves.append(Reassignment(facts, chosen, "named successor"))
            continue
        placement = pool.place(facts)
        why = placement.reason or (f"rule: {placement.rule.name}" if placement.rule else "rules")
        moves.append(Reassignment(facts, placement.collector, why))
    return moves


def reassign_leavers_cases(
    uow: UnitOfWork,
    leaver: Staff,
    moves: Sequence[Reassignment],
    *,
    handover_id: str,
    by_staff_id: str,
) -> None:
    """Hold, record, count and announce (``CaseReassigned``) each planned move; queue the
    cases nobody could take."""
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
                "how": HANDOVER,
                "by_staff_id": by_staff_id,
                "reason": f"handover {handover_id}: {m.why}"[:500],
            }
            for m in moved
            if m.to
        ],
    )
    _queue_again(session, uow, leaver, queued)
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
                reason=HANDOVER,
                reassigned_at=now,
                due_first_action_by=due,
            ),
            case_id=m.facts.case_id,
        )


def _queue_again(
    session: Session, uow: UnitOfWork, leaver: Staff, queued: list[Reassignment]
) -> None:
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


def _scope(m: Reassignment, leaver: Staff) -> dict[str, Any]:
    """Who may see the case now; a queued case stays visible to the leaver's team."""
    holder = m.to
    return {
        "case_id": m.facts.case_id,
        "client_id": m.facts.client_id,
        "collector_id": holder.id if holder else None,
        "team_id": holder.team_id if holder else leaver.team_id,
        "branch_id": holder.branch_id if holder else leaver.branch_id,
    }
