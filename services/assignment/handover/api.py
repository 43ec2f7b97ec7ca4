"""Routes for handovers: a team lead (or supervisor, admin) moves a leaving collector's
open cases in one supervised record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import Session

from services.assignment.handover import store
from services.assignment.handover.models import Handover
from services.assignment.handover.schemas import HandedCase, HandoverBody, HandoverPublic
from services.assignment.handover.service import hand_over
from services.assignment.models import StaffStatus
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, WorkDep

handovers = APIRouter(prefix="/handovers", tags=["handovers"])

SUPERVISORS = access(Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN, scope=Scope.TEAM)
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}


def _public(session: Session, handover: Handover) -> HandoverPublic:
    items = store.handed_cases(session, handover.id)
    return HandoverPublic(
        **handover.model_dump(),
        cases=[HandedCase.model_validate(i, from_attributes=True) for i in items],
    )


@handovers.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=HandoverPublic,
    summary="Hand a leaving collector's open cases to successors or back through the rules",
    description="The collector's status becomes `left` or `on_leave` (`CollectorUpdated`); "
    "each moved case is announced as `CaseReassigned` with reason `handover`; a case "
    "nobody can take waits in the queue with the reason.",
    dependencies=[SUPERVISORS],
    responses=ERRORS,
)
def create_handover(body: HandoverBody, principal: PrincipalDep, uow: WorkDep) -> HandoverPublic:
    handover = hand_over(
        uow,
        principal,
        body.from_collector_id,
        StaffStatus(body.reason),
        body.notes,
        body.successor_ids,
    )
    return _public(uow.session, handover)


@handovers.get(
    "",
    response_model=list[HandoverPublic],
    summary="Handovers of the teams you supervise, newest first",
    dependencies=[SUPERVISORS],
)
def list_handovers(
    principal: PrincipalDep,
    session: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[HandoverPublic]:
    rows = store.latest(session, supervised_teams(session, principal), limit)
    return [_public(session, h) for h in rows]


@handovers.get(
    "/{handover_id}",
    response_model=HandoverPublic,
    summary="One handover: who, when, which cases went where, notes",
    dependencies=[SUPERVISORS],
    responses={404: {"model": Problem}},
)
def get_handover(handover_id: str, principal: PrincipalDep, session: ReaderDep) -> HandoverPublic:
    handover = store.handover(session, handover_id)
    teams = supervised_teams(session, principal)
    if handover is None or (teams is not None and handover.team_id not in teams):
        raise NotFound("handover")
    return _public(session, handover)
