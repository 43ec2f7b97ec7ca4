"""Routes for approvals: anyone working a case asks; its supervisor (or an admin) grants
or rejects; only granted requests take effect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.assignment.approvals import service, store
from services.assignment.approvals.domain import Kind, Request, Status
from services.assignment.approvals.schemas import ApprovalBody, ApprovalPublic, Decision, Rejection
from services.assignment.placing.service import held_case
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.errors import Problem, ProblemError
from shared.web.deps import ReaderDep, WorkDep

approvals = APIRouter(tags=["approvals"])

DECIDERS = access(Role.ADMIN, Role.SUPERVISOR, scope=Scope.TEAM)
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}


@approvals.post(
    "/cases/{case_id}/approvals",
    status_code=status.HTTP_201_CREATED,
    response_model=ApprovalPublic,
    summary="Ask the supervisor to approve a special procedure, waiver, extension or a "
    "client's one-off request",
    description="Announced as `ApprovalRequested`. Nothing takes effect until granted.",
    dependencies=[access(COLLECTORS, TEAM_WIDE, Role.ADMIN, scope=Scope.TEAM)],
    responses=ERRORS,
)
def ask(
    scope: VisibleCaseDep, body: ApprovalBody, principal: PrincipalDep, uow: WorkDep
) -> ApprovalPublic:
    case = held_case(uow.session, scope.case_id)
    if body.kind is Kind.VISIT_DELAY:
        raise ProblemError(422, "ask for a visit delay at POST /field-visits/{visit_id}/delay")
    if body.kind is Kind.AGENCY_PLACEMENT:
        raise ProblemError(422, "place with an agency at POST /agencies/{agency_id}/placements")
    request = Request(
        kind=body.kind, requested_by=principal.subject, **body.model_dump(exclude={"kind"})
    )
    return ApprovalPublic.of(service.request_approval(uow, case, request))


@approvals.get(
    "/cases/{case_id}/approvals",
    response_model=list[ApprovalPublic],
    summary="A case's requests and their decisions, oldest first",
    dependencies=[access(COLLECTORS, TEAM_WIDE, EVERYTHING, Role.BRANCH_MANAGER)],
    responses={404: {"model": Problem}},
)
def case_approvals(scope: VisibleCaseDep, session: ReaderDep) -> list[ApprovalPublic]:
    return [ApprovalPublic.of(a) for a in store.of_case(session, scope.case_id)]


@approvals.get(
    "/approvals",
    response_model=list[ApprovalPublic],
    summary="Requests for your decision (supervisors: your teams'; admins: all)",
    dependencies=[DECIDERS],
)
def inbox(
    principal: PrincipalDep,
    session: ReaderDep,
    state: Annotated[Status, Query(alias="status")] = Status.PENDING,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ApprovalPublic]:
    rows = store.in_state(session, state, supervised_teams(session, principal), limit)
    return [ApprovalPublic.of(a) for a in rows]


@approvals.post(
    "/approvals/{approval_id}/grant",
    response_model=ApprovalPublic,
    summary="Approve a request; it takes effect at once (`ApprovalGranted`)",
    dependencies=[DECIDERS],
    responses=ERRORS,
)
def grant(
    approval_id: str, body: Decision, principal: PrincipalDep, uow: WorkDep
) -> ApprovalPublic:
    return ApprovalPublic.of(service.grant(uow, principal, approval_id, body.note))


@approvals.post(
    "/approvals/{approval_id}/reject",
    response_model=ApprovalPublic,
    summary="Reject a request, with the reason (`ApprovalRejected`)",
    dependencies=[DECIDERS],
    responses=ERRORS,
)
def reject(
    approval_id: str, body: Rejection, principal: PrincipalDep, uow: WorkDep
) -> ApprovalPublic:
    return ApprovalPublic.of(service.reject(uow, principal, approval_id, body.reason))
