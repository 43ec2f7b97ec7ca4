"""Routes for approvals: anyone working a case asks; its supervisor (or an admin) grants
or rejects; only granted requests take effect."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field
from sqlmodel import col, select

from services.assignment.approvals import service
from services.assignment.approvals.domain import Kind, Request, Status
from services.assignment.approvals.models import Approval
from services.assignment.models import AssignedCase
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.clock import UtcDatetime
from shared.errors import NotFound, Problem, ProblemError
from shared.web.deps import ReaderDep, WorkDep
from shared.web.strict import decimal_text

approvals = APIRouter(tags=["approvals"])

DECIDERS = access(Role.ADMIN, Role.SUPERVISOR, scope=Scope.TEAM)
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}
Money = Annotated[
    decimal_text(digits=14, positive=True), Field(gt=0, max_digits=14, decimal_places=2)
]
RequestKind = Annotated[
    Kind,
    Field(description="Visit delays and agency placements are asked through their own routes"),
]


class ApprovalBody(BaseModel):
    kind: RequestKind
    reason: str = Field(min_length=1, max_length=1000)
    next_steps: str | None = Field(
        default=None, max_length=1000, description="Required for a month-end extension"
    )
    amount: Money | None = Field(default=None, description="For a waiver: the amount waived")
    until: date | None = Field(default=None, description="For an extension: extended until")


class Decision(BaseModel):
    note: str | None = Field(default=None, max_length=1000)


class Rejection(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


class ApprovalPublic(BaseModel):
    id: str
    case_id: str
    client_id: str
    kind: str
    status: Status
    reason: str
    next_steps: str | None
    amount: Decimal | None
    until: date | None
    visit_id: str | None
    requested_by: str
    requested_at: UtcDatetime
    decided_by: str | None
    decided_at: UtcDatetime | None
    decision_note: str | None

    @classmethod
    def of(cls, approval: Approval) -> ApprovalPublic:
        return cls.model_validate(approval, from_attributes=True)


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
