"""Routes for the escalation ladders and a case's strategy (next action, debtor type,
treatment)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlmodel import Session

from services.assignment.models import AssignedCase
from services.assignment.strategy import service
from services.assignment.strategy.domain import (
    treatment_for,
)
from services.assignment.strategy.models import StrategyLadder
from services.assignment.strategy.schemas import (
    CaseStrategy,
    DebtorAssessment,
    LadderBody,
    LadderPublic,
    StepBody,
)
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

strategy = APIRouter(tags=["strategy"])

PRODUCT = r"^(\*|[A-Za-z0-9_.-]{1,64})$"
CASE_WORKERS = access(COLLECTORS, TEAM_WIDE, EVERYTHING, Role.BRANCH_MANAGER)


@strategy.get(
    "/strategy/ladders",
    response_model=list[LadderPublic],
    summary="The escalation ladder of each product (`*` for the rest)",
    dependencies=[access(EVERYTHING, TEAM_WIDE, Role.BRANCH_MANAGER)],
)
def list_ladders(session: ReaderDep) -> list[LadderPublic]:
    return [
        LadderPublic(
            product_type=product,
            steps=[StepBody(day=s.day, action=s.action, channel=s.channel) for s in steps],
        )
        for product, steps in sorted(service.ladders(session).items())
    ]


@strategy.put(
    "/strategy/ladders/{product_type}",
    response_model=LadderPublic,
    summary="Set a product's escalation ladder (admins, supervisors)",
    description="The next action of every case following that ladder is worked out again.",
    dependencies=[access(Role.ADMIN, Role.SUPERVISOR, scope=Scope.ALL)],
    responses={422: {"model": Problem}},
)
def set_ladder(
    product_type: Annotated[str, Path(pattern=PRODUCT, description="`*` or a product type")],
    body: LadderBody,
    principal: PrincipalDep,
    uow: WorkDep,
) -> LadderPublic:
    row = uow.session.get(StrategyLadder, product_type) or StrategyLadder(
        product_type=product_type, steps=[], updated_by=principal.subject, updated_at=uow.now
    )
    row.steps = [s.model_dump(mode="json") for s in body.steps]
    row.updated_by, row.updated_at = principal.subject, uow.now
    uow.session.add(row)
    uow.session.flush()
    service.replan(uow.session, service.cases_following(uow.session, product_type), uow.now)
    return LadderPublic(product_type=product_type, steps=body.steps)


@strategy.get(
    "/cases/{case_id}/strategy",
    response_model=CaseStrategy,
    summary="A case's next action and due time, the debtor's type and the treatment",
    dependencies=[CASE_WORKERS],
    responses={404: {"model": Problem}},
)
def case_strategy(scope: VisibleCaseDep, session: ReaderDep, runtime: RuntimeDep) -> CaseStrategy:
    return CaseStrategy.of(_case(session, scope.case_id), runtime.clock())


@strategy.put(
    "/cases/{case_id}/strategy",
    response_model=CaseStrategy,
    summary="Record the debtor's type and situation; the channel and treatment follow",
    description="The treatment chosen by the situation is recorded on the case with who "
    "chose it; a secured arrangement, settlement in kind or litigation still needs its "
    "approval (`POST /cases/{case_id}/approvals`) before it is worked.",
    dependencies=[access(COLLECTORS, TEAM_WIDE, Role.ADMIN, scope=Scope.TEAM)],
    responses={404: {"model": Problem}},
)
def assess_debtor(
    scope: VisibleCaseDep, body: DebtorAssessment, principal: PrincipalDep, uow: WorkDep
) -> CaseStrategy:
    case = _case(uow.session, scope.case_id)
    given = body.model_dump(exclude_unset=True)
    if "debtor_type" in given:
        case.debtor_type = body.debtor_type.value if body.debtor_type else None
    if "situation" in given:
        case.situation = body.situation.value if body.situation else None
        case.treatment = treatment_for(body.situation).value if body.situation else None
        case.treatment_by, case.treatment_at = principal.subject, uow.now
    uow.session.add(case)
    uow.session.flush()
    service.replan(uow.session, [case.id], uow.now)
    uow.session.refresh(case)
    return CaseStrategy.of(case, uow.now)


def _case(session: Session, case_id: str) -> AssignedCase:
    case = session.get(AssignedCase, case_id)
    if case is None:
        raise NotFound("case")
    return case
