"""Routes for the ordered assignment rules: admins and HQ edit every rule; a supervisor
only the rules of the teams they manage, routing only to those teams."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.assignment.rules import service
from services.assignment.rules.schemas import RuleBody, RulePublic
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep

rules = APIRouter(prefix="/rules", tags=["rules"])

EDITORS = access(EVERYTHING, Role.SUPERVISOR, scope=Scope.TEAM)
ERRORS = {403: {"model": Problem}, 404: {"model": Problem}, 422: {"model": Problem}}


@rules.get(
    "",
    response_model=list[RulePublic],
    summary="The assignment rules in the order they are tried",
    dependencies=[access(EVERYTHING, TEAM_WIDE)],
)
def list_rules(session: ReaderDep) -> list[RulePublic]:
    return [RulePublic.model_validate(r, from_attributes=True) for r in service.list_rules(session)]


@rules.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RulePublic,
    summary="Add a rule routing matching cases to a team (admins, HQ, supervisors)",
    description="Queued cases are tried again at once. A supervisor routes only to a team "
    "they manage, and may not place the rule ahead of another team's rules.",
    dependencies=[EDITORS],
    responses=ERRORS,
)
def add_rule(body: RuleBody, principal: PrincipalDep, uow: WorkDep) -> RulePublic:
    rule = service.add_rule(uow, principal, body)
    return RulePublic.model_validate(rule, from_attributes=True)


@rules.put(
    "/{rule_id}",
    response_model=RulePublic,
    summary="Replace a rule: its conditions, team, position or whether it is enabled",
    description="A supervisor changes only the rules of the teams they manage.",
    dependencies=[EDITORS],
    responses=ERRORS,
)
def change_rule(rule_id: str, body: RuleBody, principal: PrincipalDep, uow: WorkDep) -> RulePublic:
    rule = service.change_rule(uow, principal, rule_id, body)
    return RulePublic.model_validate(rule, from_attributes=True)


@rules.delete(
    "/{rule_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a rule",
    description="A supervisor removes only the rules of the teams they manage.",
    dependencies=[EDITORS],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)
def remove_rule(rule_id: str, principal: PrincipalDep, uow: WorkDep) -> Response:
    service.remove_rule(uow, principal, rule_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
