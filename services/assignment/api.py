"""Assignment's HTTP routes: collectors and who holds which case."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.assignment import service, store
from services.assignment.models import AssignedCase, Collector
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, WorkDep

collectors = APIRouter(prefix="/collectors", tags=["collectors"])
cases = APIRouter(prefix="/cases", tags=["assignments"])

Role = Literal["phone_collector", "field_collector"]


class CollectorCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role = "phone_collector"
    team_id: str | None = Field(default=None, max_length=64)
    branch_id: str | None = Field(default=None, max_length=64)


class CollectorPublic(BaseModel):
    id: str
    name: str
    role: str
    team_id: str | None
    branch_id: str | None
    active: bool
    created_at: datetime


class AssignmentPublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    assigned_at: datetime | None

    @classmethod
    def of(cls, case: AssignedCase) -> AssignmentPublic:
        return cls(
            case_id=case.id,
            client_id=case.client_id,
            collector_id=case.collector_id,
            assigned_at=case.assigned_at,
        )


def _public(collector: Collector) -> CollectorPublic:
    return CollectorPublic.model_validate(collector, from_attributes=True)


@collectors.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CollectorPublic,
    summary="Add a collector",
    description="A new active phone collector also takes any cases waiting for one.",
)
def add_collector(body: CollectorCreate, uow: WorkDep) -> CollectorPublic:
    return _public(service.add_collector(uow, body.name, body.role, body.team_id, body.branch_id))


@collectors.get("", response_model=list[CollectorPublic], summary="List collectors")
def list_collectors(session: ReaderDep) -> list[CollectorPublic]:
    return [_public(c) for c in store.list_collectors(session)]


@cases.get(
    "/{case_id}",
    response_model=AssignmentPublic,
    summary="Who holds a case",
    responses={404: {"model": Problem}},
)
def get_assignment(case_id: str, session: ReaderDep) -> AssignmentPublic:
    case = session.get(AssignedCase, case_id)
    if case is None:
        raise NotFound("case")
    return AssignmentPublic.of(case)
