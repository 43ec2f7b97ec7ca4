"""Routes for the escalation ladders and a case's strategy (next action, debtor type,
treatment)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.assignment.strategy import service
from services.assignment.strategy.schemas import (
    CaseStrategy,
    DebtorAssessment,
    LadderBody,
    LadderPublic,
    StepBody,
)
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, VisibleCaseDep, access
from shared.errors import Problem
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
    steps = [s.model_dump(mode="json") for s in body.steps]
    service.save_ladder(uow, product_type, steps, principal.subject)
    return LadderPublic(product_type=product_type, steps=body.steps)


@strategy.get(
    "/cases/{case_id}/strategy",
    response_model=CaseStrategy,
    summary="A case's next action and due time, the debtor's type and the treatment",
    dependencies=[CASE_WORKERS],
    responses={404: {"model": Problem}},
)
def case_strategy(scope: VisibleCaseDep, session: ReaderDep, runtime: RuntimeDep) -> CaseStrategy:
    return CaseStrategy.of(service.case_of(session, scope.case_id), runtime.clock())


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
    given = {name: getattr(body, name) for name in body.model_fields_set}
    case = service.assess_debtor(uow, scope.case_id, principal.subject, given)
    return CaseStrategy.of(case, uow.now)
