"""Automatic placement of new and waiting cases. Never commits: the boundary does."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from services.assignment.models import WORKDAYS, AssignedCase
from services.assignment.placing import store
from services.assignment.placing.domain import CaseFacts, Collector, Placement, first_action_due
from services.assignment.strategy.domain import LadderEntry, NextAction
from services.assignment.strategy.service import (
    Ladders,
    first_contact_from,
    ladders,
    local_day,
    next_action_columns,
    plan,
)
from shared.bus.work import UnitOfWork
from shared.errors import NotFound
from shared.events.catalog import CaseAssigned, CaseImported
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
