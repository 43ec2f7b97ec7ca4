"""Routes for the ordered assignment rules (admins and supervisors)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.assignment.rules import service
from services.assignment.rules.service import RuleBody, RulePublic
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Role
from shared.auth.web import access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep

rules = APIRouter(prefix="/rules", tags=["rules"])

EDITORS = access(Role.ADMIN, Role.SUPERVISOR)
ERRORS = {404: {"model": Problem}, 422: {"model": Problem}}


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
    summary="Add a rule routing matching cases to a team (admins, supervisors)",
    description="Queued cases are tried again at once.",
    dependencies=[EDITORS],
    responses=ERRORS,
)
def add_rule(body: RuleBody, uow: WorkDep) -> RulePublic:
    return RulePublic.model_validate(service.add_rule(uow, body), from_attributes=True)


@rules.put(
    "/{rule_id}",
    response_model=RulePublic,
    summary="Replace a rule: its conditions, team, position or whether it is enabled",
    dependencies=[EDITORS],
    responses=ERRORS,
)
def change_rule(rule_id: str, body: RuleBody, uow: WorkDep) -> RulePublic:
    return RulePublic.model_validate(service.change_rule(uow, rule_id, body), from_attributes=True)


@rules.delete(
    "/{rule_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a rule",
    dependencies=[EDITORS],
    responses={404: {"model": Problem}},
)
def remove_rule(rule_id: str, uow: WorkDep) -> Response:
    service.remove_rule(uow, rule_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
