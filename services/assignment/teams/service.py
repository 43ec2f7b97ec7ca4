"""Teams and collectors' profiles. Never commits: the boundary does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from services.assignment.models import Staff, StaffStatus, Team
from services.assignment.placing.service import place_waiting
from services.assignment.teams.schemas import StaffUpdate, TeamCreate, TeamUpdate
from shared.auth.principal import COLLECTORS, EVERYTHING, Principal, Role
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import CollectorUpdated

# A collector's fields reporting keeps a copy of (CollectorUpdated).
ANNOUNCED = ("team_id", "branch_id", "status", "monthly_quota", "name")


def announce_collector(uow: UnitOfWork, member: Staff) -> None:
    """Tell reporting a collector's team, branch, status or quota (no case; keyed by id)."""
    if member.role not in COLLECTORS:
        return
    uow.emit(
        CollectorUpdated(
            collector_id=member.id,
            name=member.name,
            role=member.role,
            team_id=member.team_id,
            branch_id=member.branch_id,
            status=StaffStatus(member.status).value,
            monthly_quota=member.monthly_quota,
            changed_at=uow.now,
        ),
        case_id=None,
    )


def supervised_teams(session: Session, principal: Principal) -> set[str] | None:
    """The teams a caller manages; ``None`` for admins and HQ (every team)."""
    if principal.role in EVERYTHING:
        return None
    teams = {principal.team_id} if principal.team_id else set()
    teams.update(
        session.exec(
            select(Team.id).where(
                (Team.supervisor_id == principal.subject) | (Team.lead_id == principal.subject)
            )
        )
    )
    return teams


def _check_role(session: Session, staff_id: str | None, role: Role, what: str) -> None:
    """404 when ``staff_id`` names nobody; 409 when it names someone in another role."""
    if staff_id is None:
        return
    member = session.get(Staff, staff_id)
    if member is None:
        raise NotFound(f"{what}: member of staff")
    if member.role != role.value:
        raise Conflict(f"{what} must be a member of staff with the role {role.value}")


def add_team(uow: UnitOfWork, body: TeamCreate) -> Team:
    if uow.session.get(Team, body.id) is not None:
        raise Conflict(f"team {body.id!r} exists")
    _check_role(uow.session, body.lead_id, Role.TEAM_LEAD, "lead_id")
    _check_role(uow.session, body.supervisor_id, Role.SUPERVISOR, "supervisor_id")
    team = Team(**body.model_dump(), created_at=uow.now)
    uow.session.add(team)
    uow.session.flush()
    return team


def change_team(uow: UnitOfWork, team_id: str, body: TeamUpdate) -> Team:
    team = uow.session.get(Team, team_id)
    if team is None:
        raise NotFound("team")
    changes = body.model_dump(exclude_unset=True)
    _check_role(uow.session, changes.get("lead_id"), Role.TEAM_LEAD, "lead_id")
    _check_role(uow.session, changes.get("supervisor_id"), Role.SUPERVISOR, "supervisor_id")
    for name, value in changes.items():
        if name == "name" and value is None:
            continue
        setattr(team, name, value)
    uow.session.add(team)
    return team


def managed_member(session: Session, principal: Principal, staff_id: str) -> Staff:
    """The member of staff, if the caller manages them (admins: anyone); else 404."""
    member = session.get(Staff, staff_id)
    teams = supervised_teams(session, principal)
    if member is None or (teams is not None and member.team_id not in teams):
        raise NotFound("staff member")
    return member


def change_member(uow: UnitOfWork, principal: Principal, staff_id: str, body: StaffUpdate) -> Staff:
    member = managed_member(uow.session, principal, staff_id)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    new_team = changes.get("team_id", member.team_id)
    teams = supervised_teams(uow.session, principal)
    if teams is not None and new_team not in teams:
        raise ProblemError(403, "you may only move staff between teams you manage")
    for name in ("name", "capacity", "status", "regions", "product_types", "buckets", "dialects"):
        if changes.get(name, ...) is None:
            changes.pop(name)
    before = {name: getattr(member, name) for name in ANNOUNCED}
    for name, value in changes.items():
        setattr(member, name, value.value if isinstance(value, StaffStatus) else value)
    member.active = member.status != StaffStatus.LEFT.value
    uow.session.add(member)
    uow.session.flush()
    if any(getattr(member, name) != was for name, was in before.items()):
        announce_collector(uow, member)
    place_waiting(uow)
    uow.session.refresh(member)
    return member


def all_teams(session: Session) -> Sequence[Team]:
    return session.exec(select(Team).order_by(col(Team.id))).all()
