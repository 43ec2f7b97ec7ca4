"""Assignment's use cases. They never commit: the boundary's unit of work does."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

from services.assignment.models import Staff
from services.assignment.placing.service import place_waiting
from services.assignment.staff import store
from services.assignment.teams.service import announce_collector
from shared.auth.passwords import hash_password, verify_password
from shared.auth.principal import Principal, Role
from shared.bus.work import UnitOfWork
from shared.errors import Conflict


def add_staff(
    uow: UnitOfWork,
    *,
    username: str,
    name: str,
    role: Role,
    password: str,
    team_id: str | None = None,
    branch_id: str | None = None,
    **profile: Any,
) -> Staff:
    """``profile``: regions, product_types, buckets, dialects, capacity, monthly_quota."""
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
        **profile,
    )
    uow.session.add(member)
    uow.session.flush()
    announce_collector(uow, member)
    if role is Role.PHONE_COLLECTOR:
        place_waiting(uow)
        uow.session.refresh(member)
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


_DUMMY_HASH = hash_password("timing-equaliser")
