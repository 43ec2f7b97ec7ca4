"""Routes for approvals: anyone working a case asks; its supervisor (or an admin) grants
or rejects; only granted requests take effect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import col, select

from services.assignment.approvals import service
from services.assignment.approvals.domain import Kind, Request, Status
from services.assignment.approvals.models import Approval
from services.assignment.approvals.schemas import ApprovalBody, ApprovalPublic, Decision, Rejection
from services.assignment.models import AssignedCase
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.errors import NotFound, Problem, ProblemError
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
    case = uow.session.get(AssignedCase, scope.case_id)
    if case is None:
        raise NotFound("case")
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
    rows = session.exec(
        select(Approval)
        .where(Approval.case_id == scope.case_id)
        .order_by(col(Approval.requested_at), col(Approval.id))
    )
    return [ApprovalPublic.of(a) for a in rows]


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
    query = select(Approval).where(Approval.status == state.value)
    teams = supervised_teams(session, principal)
    if teams is not None:
        query = query.where(col(Approval.team_id).in_(sorted(teams) or [""]))
    rows = session.exec(query.order_by(col(Approval.requested_at), col(Approval.id)).limit(limit))
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
