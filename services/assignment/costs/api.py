"""Costs on a case: recorded by whoever approves them, listed for whoever sees the case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.assignment.costs.service import costs_of, record_cost
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Scope
from shared.auth.web import ANY_STAFF, PrincipalDep, VisibleCaseDep, access
from shared.clock import UtcDatetime
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep
from shared.web.strict import decimal_text

costs = APIRouter(tags=["costs"])

CostKind = Literal["travel", "legal", "court", "postage", "other"]


class CostCreate(BaseModel):
    kind: CostKind = Field(description="travel, legal (fees), court (fees), postage or other")
    amount: decimal_text(digits=14, positive=True) = Field(  # type: ignore[valid-type]
        gt=0, max_digits=14, decimal_places=2, description="In yuan (CNY)"
    )
    incurred_on: date
    incurred_by: str | None = Field(
        default=None, max_length=36, description="The member of staff who spent it, if any"
    )
    note: str | None = Field(default=None, max_length=500)


class CostPublic(BaseModel):
    id: str
    case_id: str
    kind: str
    amount: Decimal
    currency: str
    incurred_on: date
    incurred_by: str | None
    note: str | None
    approved_by: str = Field(description="Who approved the cost (the one who recorded it)")
    recorded_at: UtcDatetime


class CaseCosts(BaseModel):
    total: Decimal
    items: list[CostPublic]


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
