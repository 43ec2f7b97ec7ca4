"""Outside agencies (委外) over HTTP: admins register them; a supervisor places cases with
one by hand or by rule and recalls them; term ends bring them back by themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import col, select

from services.assignment.agencies import service
from services.assignment.agencies.models import Agency, AgencyPlacement
from services.assignment.strategy.service import local_day
from shared.auth.principal import EVERYTHING, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.clock import UtcDatetime
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep
from shared.web.strict import decimal_text

router = APIRouter(tags=["agencies"])
BACK_OFFICE = access(EVERYTHING)
# An agency belongs to no team; placements and recalls reach the cases of one's teams.
REGISTER = access(EVERYTHING, scope=Scope.ALL)
PLACERS = access(Role.ADMIN, Role.SUPERVISOR)
PLACE = access(Role.ADMIN, Role.SUPERVISOR, scope=Scope.TEAM)
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}
Rate = decimal_text(places=4, at_most_one=True)
AgencyId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class AgencyBody(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    commission_rate: Rate = Field(description="The agency's share of what it recovers, 0 to 1")
    term_days: int = Field(ge=1, le=3660, description="How long a placement lasts")
    active: bool = True


class AgencyPublic(AgencyBody):
    id: str
    team_id: str = Field(description="Add the agency's users as collectors in this team")
    created_at: UtcDatetime

    @classmethod
    def of(cls, a: Agency) -> AgencyPublic:
        return cls(id=a.id, team_id=a.id, name=a.name, commission_rate=Decimal(a.commission_rate),
                   term_days=a.term_days, active=a.active, created_at=a.created_at)  # fmt: skip


BY_RULE = ("bucket", "product_type", "region")


class PlacementBody(BaseModel):
    """By hand (``case_ids``, at least one) or by rule (one or more of ``bucket``,
    ``product_type``, ``region``), exactly one of the two: the document's ``oneOf``."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["case_ids"], "properties": {"case_ids": {"minItems": 1}}},
                {"anyOf": [{"required": [name]} for name in BY_RULE]},
            ]
        }
    )

    reason: str = Field(min_length=1, max_length=300)
    case_ids: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list, max_length=service.MOST_AT_ONCE, description="By hand"
    )
    # Left out, not null: a rule's condition is named or absent.
    bucket: str = Field(default=None, max_length=32, description="By rule")  # type: ignore[assignment]
    product_type: str = Field(default=None, max_length=64, description="By rule")  # type: ignore[assignment]
    region: str = Field(default=None, max_length=64, description="By rule")  # type: ignore[assignment]
    limit: int = Field(default=100, ge=1, le=service.MOST_AT_ONCE)

    @model_validator(mode="after")
    def _one_way(self) -> PlacementBody:
        by_rule = any(v is not None for v in (self.bucket, self.product_type, self.region))
        if bool(self.case_ids) == by_rule:
            raise ValueError("name case_ids (by hand) or bucket/product_type/region (by rule)")
        return self


class RecallBody(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


PlacementStatus = Literal["waiting", "placed", "rejected", "recalled"]


class PlacementPublic(BaseModel):
    id: str
    case_id: str
    agency_id: str
    collector_id: str | None = Field(description="The agency collector holding the case")
    previous_collector_id: str | None
    placed_by: str
    placed_at: UtcDatetime = Field(description="When it was placed (asked, while it waits)")
    until: UtcDatetime = Field(description="Term end (counted from the grant once granted)")
    status: PlacementStatus
    approval_id: str | None = Field(
        description="The approval it waits for (or waited for) where the agreement requires one"
    )
    recalled_at: UtcDatetime | None
    recalled_by: str | None
    recall_reason: str | None


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
    return [AgencyPublic.of(a) for a in session.exec(select(Agency).order_by(col(Agency.id)))]


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
