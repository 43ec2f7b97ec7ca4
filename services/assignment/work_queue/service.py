"""Whose open cases a caller may list, and one page of them, most urgent first.

Pages are keyset pages on ``(next_action_due, id)`` — the index ``ix_cases_queue_collector``
— so page 100 costs what page 1 costs. A team's or branch's queue is its collectors'
cases (the same index, one range per collector). The cursor is the last row's due time
and id, in :mod:`shared.web.paging`'s documented shape. Cases with no next action due come
after every dated one, by id (the same order on SQLite and PostgreSQL, which sort NULLs at
opposite ends), so a page ending on one of them is followed like any other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from services.assignment.models import AssignedCase, Staff
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import BRANCH_WIDE, COLLECTORS, EVERYTHING, TEAM_WIDE, Principal
from shared.errors import NotFound, ProblemError
from shared.web.paging import decode_cursor, encode_cursor

CASES = AssignedCase.__table__
STAFF = Staff.__table__
# What a queue row shows; fewer columns, fewer datetimes to parse on every page.
SHOWN = [
    CASES.c[name]
    for name in (
        "id", "client_id", "collector_id", "team_id", "next_action", "next_channel",
        "next_action_due", "product_type", "overdue_since", "amount", "treatment",
        "assigned_at",
    )
]  # fmt: skip


def caller_scope(session: Session, principal: Principal) -> list[Any]:
    """Conditions on ``cases`` for everything the caller's queue holds."""
    role = principal.role
    if role in EVERYTHING:
        return []
    if role in COLLECTORS:
        return [CASES.c.collector_id == principal.subject]
    if role in TEAM_WIDE:
        teams = sorted(supervised_teams(session, principal) or {""})
        return [CASES.c.collector_id.in_(select(STAFF.c.id).where(STAFF.c.team_id.in_(teams)))]
    if role in BRANCH_WIDE and principal.branch_id:
        members = select(STAFF.c.id).where(STAFF.c.branch_id == principal.branch_id)
        return [CASES.c.collector_id.in_(members)]
    raise ProblemError(403, "your role has no work queue")


def collector_in_scope(session: Session, principal: Principal, staff_id: str) -> Staff:
    """A collector whose queue the caller may read; 404 for anyone else's."""
    member = session.get(Staff, staff_id)
    if member is None or member.role not in COLLECTORS:
        raise NotFound("collector")
    role = principal.role
    if role in EVERYTHING:
        return member
    if role in COLLECTORS and member.id == principal.subject:
        return member
    if role in TEAM_WIDE and member.team_id in (supervised_teams(session, principal) or set()):
        return member
    if role in BRANCH_WIDE and principal.branch_id and member.branch_id == principal.branch_id:
        return member
    raise NotFound("collector")


def page(
    session: Session, scope: Sequence[Any], limit: int, after: str | None
) -> tuple[list[Any], str | None]:
    """One page of held cases in scope, most urgent first, and the next page's cursor."""
    due, case_id = CASES.c.next_action_due, CASES.c.id
    where = [CASES.c.collector_id.is_not(None), CASES.c.closed_at.is_(None), *scope]
    last_due, last_id = decode_cursor(after, (due, case_id)) if after else (None, None)
    wanted = limit + 1
    rows: list[Any] = []
    if last_id is None or last_due is not None:
        dated = [*where, due.is_not(None)]
        if last_id is not None:
            dated.append(or_(due > last_due, and_(due == last_due, case_id > last_id)))
        query = select(*SHOWN).where(*dated).order_by(due, case_id).limit(wanted)
        rows = list(session.execute(query))
    if len(rows) < wanted:
        undated = [*where, due.is_(None)]
        if last_id is not None and last_due is None:
            undated.append(case_id > last_id)
        query = select(*SHOWN).where(*undated).order_by(case_id).limit(wanted - len(rows))
        rows += list(session.execute(query))
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor((rows[-1].next_action_due, rows[-1].id)) if more else None
    return rows, cursor
