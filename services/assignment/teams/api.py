"""Routes for teams and for collectors' profiles (skills, capacity, status, quota)."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.assignment.staff.schemas import StaffPublic
from services.assignment.teams import service
from services.assignment.teams.schemas import StaffUpdate, TeamCreate, TeamPublic, TeamUpdate
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep

teams = APIRouter(prefix="/teams", tags=["teams"])
members = APIRouter(prefix="/staff", tags=["staff"])

MANAGERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}


@teams.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TeamPublic,
    summary="Add a team with its lead and supervisor (admins)",
    dependencies=[access(Role.ADMIN, scope=Scope.ALL)],
    responses=ERRORS,
)
def add_team(body: TeamCreate, uow: WorkDep) -> TeamPublic:
    return TeamPublic.of(service.add_team(uow, body))


@teams.get(
    "",
    response_model=list[TeamPublic],
    summary="List teams (admins, HQ, supervisors, team leads, branch managers)",
    dependencies=[access(EVERYTHING, TEAM_WIDE, Role.BRANCH_MANAGER)],
)
def list_teams(session: ReaderDep) -> list[TeamPublic]:
    return [TeamPublic.of(t) for t in service.all_teams(session)]


@teams.patch(
    "/{team_id}",
    response_model=TeamPublic,
    summary="Rename a team or change its lead, supervisor or branch (admins)",
    dependencies=[access(Role.ADMIN, scope=Scope.ALL)],
    responses=ERRORS,
)
def change_team(team_id: str, body: TeamUpdate, uow: WorkDep) -> TeamPublic:
    return TeamPublic.of(service.change_team(uow, team_id, body))


@members.get(
    "/{staff_id}",
    response_model=StaffPublic,
    summary="A member of staff (admins, HQ; supervisors and team leads: their teams')",
    dependencies=[access(EVERYTHING, TEAM_WIDE)],
    responses={404: {"model": Problem}},
)
def get_member(staff_id: str, principal: PrincipalDep, session: ReaderDep) -> StaffPublic:
    return StaffPublic.of(service.managed_member(session, principal, staff_id))


@members.patch(
    "/{staff_id}",
    response_model=StaffPublic,
    summary="Change a collector's team, skills, capacity, status or quota",
    description="Admins change anyone; supervisors the staff of the teams they manage. A "
    "collector who becomes available takes queued cases they fit. Leaving (`left`) also "
    "stops the member signing in.",
    dependencies=[access(MANAGERS, scope=Scope.TEAM)],
    responses=ERRORS,
)
def change_member(
    staff_id: str, body: StaffUpdate, principal: PrincipalDep, uow: WorkDep
) -> StaffPublic:
    return StaffPublic.of(service.change_member(uow, principal, staff_id, body))
