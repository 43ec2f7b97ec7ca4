"""Costs on a case: recorded by whoever approves them, listed for whoever sees the case."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, status

from services.assignment.costs.schemas import CaseCosts, CostCreate, CostPublic
from services.assignment.costs.service import costs_of, record_cost
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Scope
from shared.auth.web import ANY_STAFF, PrincipalDep, VisibleCaseDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep

costs = APIRouter(tags=["costs"])


@costs.post(
    "/cases/{case_id}/costs",
    status_code=status.HTTP_201_CREATED,
    response_model=CostPublic,
    summary="Record an approved cost on a case (team leads, supervisors, admins)",
    description="The caller approves the cost and is kept as its approver. Announced as "
    "`CaseCostRecorded`, from which reporting shows cost per case.",
    dependencies=[access(EVERYTHING, TEAM_WIDE, scope=Scope.TEAM)],
    responses={404: {"model": Problem}},
)
def add_cost(
    body: CostCreate, scope: VisibleCaseDep, principal: PrincipalDep, uow: WorkDep
) -> CostPublic:
    cost = record_cost(
        uow,
        scope,
        kind=body.kind,
        amount=body.amount,
        incurred_on=body.incurred_on,
        approved_by=principal.subject,
        incurred_by=body.incurred_by,
        note=body.note,
    )
    return CostPublic.model_validate(cost, from_attributes=True)


@costs.get(
    "/cases/{case_id}/costs",
    response_model=CaseCosts,
    summary="A case's costs, by the day they were incurred, with their total",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_costs(scope: VisibleCaseDep, session: ReaderDep) -> CaseCosts:
    items = [
        CostPublic.model_validate(c, from_attributes=True) for c in costs_of(session, scope.case_id)
    ]
    return CaseCosts(total=sum((i.amount for i in items), Decimal("0")), items=items)
