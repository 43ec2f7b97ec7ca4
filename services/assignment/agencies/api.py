"""Outside agencies (委外) over HTTP: admins register them; a supervisor places cases with
one by hand or by rule and recalls them; term ends bring them back by themselves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from services.assignment.agencies import service
from services.assignment.agencies.models import AgencyPlacement
from services.assignment.agencies.schemas import (
    AgencyBody,
    AgencyPublic,
    PlacementBody,
    PlacementPublic,
    PlacementStatus,
    RecallBody,
)
from services.assignment.strategy.service import local_day
from shared.auth.principal import EVERYTHING, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(tags=["agencies"])
BACK_OFFICE = access(EVERYTHING)
# An agency belongs to no team; placements and recalls reach the cases of one's teams.
REGISTER = access(EVERYTHING, scope=Scope.ALL)
PLACERS = access(Role.ADMIN, Role.SUPERVISOR)
PLACE = access(Role.ADMIN, Role.SUPERVISOR, scope=Scope.TEAM)
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}
AgencyId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _public(p: AgencyPlacement) -> PlacementPublic:
    return PlacementPublic(**(p.model_dump() | {"collector_id": p.collector_id or None}))


@router.put(
    "/agencies/{agency_id}",
    response_model=AgencyPublic,
    summary="Register or change an outside agency (admins and HQ)",
    dependencies=[REGISTER],
    responses=ERRORS,
)
def register(agency_id: AgencyId, body: AgencyBody, uow: WorkDep) -> AgencyPublic:
    found = service.register(
        uow, agency_id, body.name, body.commission_rate, body.term_days, body.active
    )
    return AgencyPublic.of(found)


@router.get(
    "/agencies",
    response_model=list[AgencyPublic],
    summary="The outside agencies",
    dependencies=[access(EVERYTHING, Role.SUPERVISOR, Role.BRANCH_MANAGER)],
)
def agencies(session: ReaderDep) -> list[AgencyPublic]:
    return [AgencyPublic.of(a) for a in service.agencies(session)]


@router.post(
    "/agencies/{agency_id}/placements",
    status_code=status.HTTP_201_CREATED,
    response_model=list[PlacementPublic],
    summary="Place cases you manage with the agency, by hand or by rule (supervisors)",
    description="A case whose agreement requires an approval for outsourcing waits for one "
    "(`waiting`, `AgencyPlacementRequested` and `ApprovalRequested` of kind "
    "`agency_placement`); someone other than the placer grants it at "
    "`POST /approvals/{id}/grant` and the case moves then, or rejects it.",
    dependencies=[PLACE],
    responses=ERRORS,
)
def place(
    agency_id: AgencyId, body: PlacementBody, principal: PrincipalDep, uow: WorkDep
) -> list[PlacementPublic]:
    case_ids = body.case_ids or service.cases_by_rule(
        uow.session,
        principal,
        local_day(uow.now),
        bucket=body.bucket,
        product_type=body.product_type,
        region=body.region,
        limit=body.limit,
    )
    return [_public(p) for p in service.place(uow, principal, agency_id, case_ids, body.reason)]


@router.get(
    "/agency-placements",
    response_model=list[PlacementPublic],
    summary="Placements of the cases you manage, newest first",
    dependencies=[PLACERS],
)
def placements(
    principal: PrincipalDep,
    session: ReaderDep,
    agency_id: str | None = None,
    status: PlacementStatus | None = None,
) -> list[PlacementPublic]:
    return [_public(p) for p in service.placements(session, principal, agency_id, status)]


@router.post(
    "/agency-placements/{placement_id}/recall",
    response_model=PlacementPublic,
    summary="Recall a placed case: back to the collector it came from",
    dependencies=[PLACE],
    responses=ERRORS,
)
def recall(
    placement_id: str, body: RecallBody, principal: PrincipalDep, uow: WorkDep
) -> PlacementPublic:
    found = service.visible_placement(uow.session, principal, placement_id)
    return _public(service.recall(uow, found, principal.subject, body.reason))
