"""Assignment's use cases. They never commit: the boundary's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from services.assignment import store
from services.assignment.domain import first_action_due, next_in_rotation
from services.assignment.models import SECURITY, Staff
from shared.auth.passwords import hash_password, verify_password
from shared.auth.principal import Principal, Role
from shared.bus.work import UnitOfWork
from shared.db import upsert
from shared.errors import Conflict
from shared.events.catalog import CaseAssigned


def add_staff(
    uow: UnitOfWork,
    *,
    username: str,
    name: str,
    role: Role,
    password: str,
    team_id: str | None = None,
    branch_id: str | None = None,
) -> Staff:
    if store.staff_by_username(uow.session, username) is not None:
        raise Conflict(f"username {username!r} is taken")
    member = Staff(
        id=str(uuid.uuid4()),
        username=username,
        name=name,
        role=role.value,
        team_id=team_id,
        branch_id=branch_id,
        active=True,
        password_hash=hash_password(password),
        created_at=uow.now,
    )
    uow.session.add(member)
    uow.session.flush()
    if role is Role.PHONE_COLLECTOR:
        assign_waiting_cases(uow)
    return member


def ensure_first_admin(uow: UnitOfWork, username: str, password: str) -> bool:
    """A fresh installation gets one admin, so somebody can sign in and add the rest."""
    if store.any_admin(uow.session):
        return False
    add_staff(uow, username=username, name="Administrator", role=Role.ADMIN, password=password)
    return True


def sign_in(session: Session, username: str, password: str) -> Principal | None:
    member = store.staff_by_username(session, username)
    if member is None:
        verify_password(password, _DUMMY_HASH)  # same cost whether or not the user exists
        return None
    if not member.active or not verify_password(password, member.password_hash):
        return None
    return principal_of(member)


def principal_of(member: Staff) -> Principal:
    return Principal(
        subject=member.id,
        kind="staff",
        role=Role(member.role),
        team_id=member.team_id,
        branch_id=member.branch_id,
    )


@dataclass(frozen=True)
class Arrival:
    """A case that reached assignment, with the unit of work its events are emitted in."""

    uow: UnitOfWork
    case_id: str
    client_id: str


def receive_cases(session: Session, now: datetime, arrivals: Sequence[Arrival]) -> int:
    """New cases from intake: keep our copy of each and give the unheld ones to collectors
    in rotation; a case seen before keeps its collector. Returns how many were assigned."""
    store.add_cases(session, [(a.case_id, a.client_id) for a in arrivals], now)
    held = store.holders(session, [a.case_id for a in arrivals])
    waiting: dict[str, Arrival] = {}
    for arrival in arrivals:
        if held.get(arrival.case_id) is None:
            waiting.setdefault(arrival.case_id, arrival)
    return assign(session, now, list(waiting.values()))


def assign(session: Session, now: datetime, arrivals: Sequence[Arrival]) -> int:
    """Give each case to the next active phone collector and announce it as
    ``CaseAssigned`` in its own unit of work. Returns how many were assigned (none while
    no phone collector is active: the cases wait)."""
    active = store.active_phone_collectors(session)
    if not arrivals or not active:
        return 0
    cursor = store.cursor(session)
    last = cursor.last_collector_id
    given: list[tuple[Arrival, Staff]] = []
    for arrival in arrivals:
        last = next_in_rotation(list(active), last)
        assert last is not None
        given.append((arrival, active[last]))
    store.set_holders(session, [(a.case_id, member.id) for a, member in given], now)
    upsert(
        session,
        SECURITY.case_visibility,
        [
            {
                "case_id": a.case_id,
                "client_id": a.client_id,
                "collector_id": member.id,
                "team_id": member.team_id,
                "branch_id": member.branch_id,
            }
            for a, member in given
        ],
        key=["case_id"],
        changes=lambda new: {
            "client_id": new.client_id,
            "collector_id": new.collector_id,
            "team_id": new.team_id,
            "branch_id": new.branch_id,
        },
    )
    for arrival, member in given:
        arrival.uow.emit(
            CaseAssigned(
                client_id=arrival.client_id,
                collector_id=member.id,
                team_id=member.team_id,
                branch_id=member.branch_id,
                assigned_at=now,
                due_first_action_by=first_action_due(now),
            ),
            case_id=arrival.case_id,
        )
    cursor.last_collector_id = last
    session.add(cursor)
    return len(given)


def assign_waiting_cases(uow: UnitOfWork) -> int:
    """Cases that arrived while no collector was active are assigned once one is."""
    waiting = [
        Arrival(uow, case_id, client_id)
        for case_id, client_id in store.unassigned_cases(uow.session)
    ]
    return assign(uow.session, uow.now, waiting)


_DUMMY_HASH = hash_password("timing-equaliser")
