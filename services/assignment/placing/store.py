"""Placement's queries: every write is one statement for a whole run of cases."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlmodel import Session, col

from services.assignment.agencies.models import Agency
from services.assignment.closing.models import CaseBalance
from services.assignment.models import (
    SECURITY,
    AssignedCase,
    AssignmentRecord,
    AssignmentRule,
    Staff,
    StaffStatus,
)
from services.assignment.placing.domain import CaseFacts, Collector, Pool, Rule
from shared.auth.principal import Role
from shared.db import dialect_insert, execute_many, upsert
from shared.pastdue import bucket_on

CASES = AssignedCase.__table__
STAFF = Staff.__table__
RULES = AssignmentRule.__table__
HISTORY = AssignmentRecord.__table__


def add_cases(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Our copy of each new case (one row per case); a case already known is left as it
    is. Returns how many were written."""
    if not rows:
        return 0
    statement = dialect_insert(session)(CASES).on_conflict_do_nothing(index_elements=["id"])
    return execute_many(session, statement, rows)


def holders(session: Session, case_ids: Sequence[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        rows = session.execute(
            select(CASES.c.id, CASES.c.collector_id).where(CASES.c.id.in_(chunk))
        )
        found.update((case_id, collector_id) for case_id, collector_id in rows)
    return found


def rules(session: Session) -> list[Rule]:
    rows = session.execute(
        select(RULES).where(RULES.c.enabled.is_(True)).order_by(RULES.c.position, RULES.c.id)
    )
    return [
        Rule(
            id=r.id,
            team_id=r.team_id,
            name=r.name,
            client_id=r.client_id,
            product_type=r.product_type,
            bucket=r.bucket,
            region=r.region,
            dialect=r.dialect,
            min_amount=r.min_amount,
            max_amount=r.max_amount,
        )
        for r in rows
    ]


def collector_of(row: Any) -> Collector:
    return Collector(
        id=row.id,
        team_id=row.team_id,
        branch_id=row.branch_id,
        capacity=row.capacity,
        open_cases=row.open_cases,
        last_pick=row.last_pick,
        regions=frozenset(row.regions or ()),
        product_types=frozenset(row.product_types or ()),
        buckets=frozenset(row.buckets or ()),
        dialects=frozenset(row.dialects or ()),
    )


def pool(session: Session) -> Pool:
    """The rules and the active phone collectors, read once for a run. An outside agency's
    collectors are not in it: they get cases only by placement (委外)."""
    agencies = select(Agency.__table__.c.id)
    rows = session.execute(
        select(STAFF)
        .where(
            STAFF.c.status == StaffStatus.ACTIVE.value,
            STAFF.c.active.is_(True),
            STAFF.c.role == Role.PHONE_COLLECTOR.value,
            or_(STAFF.c.team_id.is_(None), STAFF.c.team_id.not_in(agencies)),
        )
        .order_by(STAFF.c.id)
    )
    collectors = [collector_of(row) for row in rows]
    latest = max((c.last_pick for c in collectors), default=0)
    return Pool(rules(session), collectors, next_pick=latest + 1)


def waiting(session: Session, today: date, limit: int = 1000) -> list[CaseFacts]:
    """Unheld open cases, each with its bucket on ``today``."""
    rows = session.execute(
        select(CASES)
        .where(CASES.c.collector_id.is_(None), CASES.c.closed_at.is_(None))
        .order_by(CASES.c.imported_at, CASES.c.id)
        .limit(limit)
    )
    return [facts_of(row, today) for row in rows]


def facts_of(row: Any, today: date) -> CaseFacts:
    return CaseFacts(
        case_id=row.id,
        client_id=row.client_id,
        product_type=row.product_type,
        bucket=bucket_on(row.overdue_since, today),
        region=row.region,
        amount=row.amount,
    )


def hold(session: Session, holds: Sequence[dict[str, Any]], now: datetime) -> None:
    """``{case_id, collector_id, team_id}`` each: the case is held from now."""
    if not holds:
        return
    execute_many(
        session,
        update(CASES)
        .where(CASES.c.id == bindparam("case_id"))
        .values(
            collector_id=bindparam("collector_id"),
            team_id=bindparam("team_id"),
            assigned_at=now,
            waiting_reason=None,
        ),
        list(holds),
    )


def set_waiting(session: Session, waits: Sequence[dict[str, Any]]) -> None:
    """``{case_id, team_id, reason}`` each: why the case is still in the queue."""
    if not waits:
        return
    session.execute(
        update(CASES)
        .where(CASES.c.id == bindparam("case_id"))
        .values(team_id=bindparam("team_id"), waiting_reason=bindparam("reason")),
        list(waits),
    )


def save_loads(session: Session, collectors: Sequence[Collector]) -> None:
    if not collectors:
        return
    session.execute(
        update(STAFF)
        .where(STAFF.c.id == bindparam("staff_id"))
        .values(open_cases=bindparam("open_cases"), last_pick=bindparam("last_pick")),
        [
            {"staff_id": c.id, "open_cases": c.open_cases, "last_pick": c.last_pick}
            for c in collectors
        ],
    )


def add_history(session: Session, records: Sequence[dict[str, Any]]) -> None:
    if records:
        execute_many(session, insert(HISTORY), list(records))


def show_holders(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Our copy of who may see each case: ``{case_id, client_id, collector_id, team_id,
    branch_id}`` each."""
    upsert(
        session,
        SECURITY.case_visibility,
        rows,
        key=["case_id"],
        changes=lambda new: {
            "client_id": new.client_id,
            "collector_id": new.collector_id,
            "team_id": new.team_id,
            "branch_id": new.branch_id,
        },
    )


def open_cases_of(session: Session, collector_id: str) -> int:
    return session.execute(
        select(func.count()).select_from(CASES).where(CASES.c.collector_id == collector_id)
    ).scalar_one()


def set_first_overdue(session: Session, first_overdue: dict[str, date | None]) -> None:
    """Each known case's first overdue day (and its balance's, for the blacklist)."""
    balances = CaseBalance.__table__
    for case_id, day in first_overdue.items():
        session.execute(update(CASES).where(CASES.c.id == case_id).values(overdue_since=day))
        session.execute(
            update(balances).where(balances.c.case_id == case_id).values(overdue_since=day)
        )


def case(session: Session, case_id: str) -> AssignedCase | None:
    return session.get(AssignedCase, case_id)


def history(session: Session, case_id: str) -> Sequence[AssignmentRecord]:
    """Every assignment of the case, oldest first."""
    return session.scalars(
        select(AssignmentRecord)
        .where(col(AssignmentRecord.case_id) == case_id)
        .order_by(col(AssignmentRecord.id))
    ).all()


def _in_teams(teams: Collection[str] | None) -> list[Any]:
    if teams is None:
        return []
    return [or_(CASES.c.team_id.in_(list(teams)), CASES.c.team_id.is_(None))]


def waiting_cases(
    session: Session, teams: Collection[str] | None, limit: int, offset: int
) -> list[Any]:
    """Oldest deadline first; ``teams`` limits to those teams' and unrouted cases."""
    return list(
        session.execute(
            select(CASES)
            .where(CASES.c.collector_id.is_(None), CASES.c.closed_at.is_(None), *_in_teams(teams))
            .order_by(CASES.c.assign_due_by, CASES.c.id)
            .limit(limit)
            .offset(offset)
        )
    )


def clock_counts(session: Session, teams: Collection[str] | None, now: datetime) -> dict[str, int]:
    waiting = and_(CASES.c.collector_id.is_(None), CASES.c.closed_at.is_(None))
    due = CASES.c.assign_due_by
    row = session.execute(
        select(
            func.count().filter(waiting),
            func.count().filter(waiting, due < now),
            func.count().filter(CASES.c.collector_id.is_not(None), CASES.c.assigned_at > due),
        ).where(*_in_teams(teams))
    ).one()
    return {"waiting": row[0], "waiting_past_due": row[1], "assigned_late": row[2]}
