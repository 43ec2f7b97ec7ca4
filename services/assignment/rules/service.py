"""Editing the ordered assignment rules. Never commits: the boundary does."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.assignment.models import AssignmentRule, Team
from services.assignment.placing.service import place_waiting
from services.assignment.rules.schemas import RuleBody
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import Principal
from shared.bus.work import UnitOfWork
from shared.errors import NotFound, ProblemError


def list_rules(session: Session) -> list[AssignmentRule]:
    return list(
        session.exec(
            select(AssignmentRule).order_by(col(AssignmentRule.position), col(AssignmentRule.id))
        )
    )


def _check_team(session: Session, team_id: str) -> None:
    if session.get(Team, team_id) is None:
        raise NotFound("team_id: team")


def _check_managed(
    session: Session, principal: Principal, team_id: str, position: int | None
) -> None:
    """A supervisor edits only rules of the teams they manage, routes only to those, and
    does not put a rule ahead of another team's (the first match wins: that would take the
    other team's cases). Admins and HQ edit every rule."""
    managed = supervised_teams(session, principal)
    if managed is None:
        return
    if team_id not in managed:
        raise ProblemError(403, "you may only edit rules routing to the teams you manage")
    if position is not None:
        ahead = session.exec(
            select(AssignmentRule.id).where(
                AssignmentRule.position >= position,  # type: ignore[operator]
                col(AssignmentRule.team_id).not_in(managed),
            )
        ).first()
        if ahead is not None:
            raise ProblemError(
                403, "only admins and HQ may put a rule ahead of another team's rules"
            )


def _saved(uow: UnitOfWork, rule: AssignmentRule) -> AssignmentRule:
    uow.session.add(rule)
    uow.session.flush()
    place_waiting(uow)
    return rule


def add_rule(uow: UnitOfWork, principal: Principal, body: RuleBody) -> AssignmentRule:
    _check_team(uow.session, body.team_id)
    _check_managed(uow.session, principal, body.team_id, body.position)
    position = body.position
    if position is None:
        last = uow.session.exec(select(func.max(AssignmentRule.position))).one()
        position = (last or 0) + 10
    fields = body.model_dump(exclude={"position"})
    rule = AssignmentRule(id=str(uuid.uuid4()), position=position, updated_at=uow.now, **fields)
    return _saved(uow, rule)


def change_rule(
    uow: UnitOfWork, principal: Principal, rule_id: str, body: RuleBody
) -> AssignmentRule:
    rule = uow.session.get(AssignmentRule, rule_id)
    if rule is None:
        raise NotFound("rule")
    _check_managed(uow.session, principal, rule.team_id, None)
    _check_team(uow.session, body.team_id)
    moved = body.position if body.position != rule.position else None
    _check_managed(uow.session, principal, body.team_id, moved)
    for name, value in body.model_dump(exclude={"position"}).items():
        setattr(rule, name, value)
    if body.position is not None:
        rule.position = body.position
    rule.updated_at = uow.now
    return _saved(uow, rule)


def remove_rule(uow: UnitOfWork, principal: Principal, rule_id: str) -> None:
    rule = uow.session.get(AssignmentRule, rule_id)
    if rule is None:
        raise NotFound("rule")
    _check_managed(uow.session, principal, rule.team_id, None)
    uow.session.delete(rule)
    uow.session.flush()
    place_waiting(uow)
