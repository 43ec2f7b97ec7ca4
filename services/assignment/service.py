"""Assignment's use cases. They never commit: the boundary's unit of work does."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from services.assignment import store
from services.assignment.domain import first_action_due, next_in_rotation
from services.assignment.models import SECURITY, AssignedCase, Staff
from shared.auth.passwords import hash_password, verify_password
from shared.auth.principal import Principal, Role
from shared.auth.visibility import record_scope
from shared.bus.work import UnitOfWork
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


def receive_case(uow: UnitOfWork, case_id: str, client_id: str) -> None:
    """A new case arrived from intake: keep our copy and give it to the next collector."""
    case = uow.session.get(AssignedCase, case_id)
    if case is None:
        case = AssignedCase(id=case_id, client_id=client_id, imported_at=uow.now)
        uow.session.add(case)
        uow.session.flush()
    if case.collector_id is None:
        assign(uow, case)


def assign(uow: UnitOfWork, case: AssignedCase) -> bool:
    active = store.active_phone_collector_ids(uow.session)
    cursor = store.cursor(uow.session)
    chosen = next_in_rotation(active, cursor.last_collector_id)
    if chosen is None:
        return False
    collector = uow.session.get(Staff, chosen)
    assert collector is not None
    case.collector_id = chosen
    case.assigned_at = uow.now
    cursor.last_collector_id = chosen
    uow.session.add_all([case, cursor])
    record_scope(
        uow.session,
        SECURITY.case_visibility,
        case.id,
        client_id=case.client_id,
        collector_id=chosen,
        team_id=collector.team_id,
        branch_id=collector.branch_id,
    )
    uow.emit(
        CaseAssigned(
            client_id=case.client_id,
            collector_id=chosen,
            team_id=collector.team_id,
            branch_id=collector.branch_id,
            assigned_at=uow.now,
            due_first_action_by=first_action_due(uow.now),
        ),
        case_id=case.id,
    )
    return True


def assign_waiting_cases(uow: UnitOfWork) -> int:
    """Cases that arrived while no collector was active are assigned once one is."""
    count = 0
    for case in store.unassigned_cases(uow.session):
        if not assign(uow, case):
            break
        count += 1
    return count


_DUMMY_HASH = hash_password("timing-equaliser")
