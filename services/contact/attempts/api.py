"""The contact log of a case: log an attempt (the rules decide first), read the log and
the follow-ups it left."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from sqlalchemy import select

from services.contact.access import (
    CASE_WRITES,
    OVERRIDERS,
    DeskCaseDep,
    DeskPrincipalDep,
    SettingsDep,
)
from services.contact.attempts.models import ContactAttempt, FollowUp
from services.contact.attempts.schemas import AttemptCreate, AttemptPublic, FollowUpPublic
from services.contact.attempts.service import Refusal, log_attempt
from services.contact.models import ContactCase
from shared.auth.web import ANY_STAFF
from shared.bus.work import UnitOfWork
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep
from shared.web.sessions import write

router = APIRouter(prefix="/cases", tags=["contact log"])


@router.post(
    "/{case_id}/attempts",
    status_code=status.HTTP_201_CREATED,
    response_model=AttemptPublic,
    summary="Log a call, message, letter or visit",
    description="The contact rules are checked at `started_at`. An attempt they block is "
    "refused (409, naming each rule) unless a supervisor logs it with `override_reason`. "
    "A late first attempt needs `late_reason`. Emits `ContactAttempted`.",
    dependencies=[CASE_WRITES],
    responses={404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}},
)
async def add_attempt(
    request: Request,
    body: AttemptCreate,
    case: DeskCaseDep,
    principal: DeskPrincipalDep,
    settings: SettingsDep,
) -> AttemptPublic:
    may_override = principal.role in OVERRIDERS

    def log(uow: UnitOfWork) -> ContactAttempt | Refusal:
        current = uow.session.get(ContactCase, case.id)
        if current is None:
            raise NotFound("case")
        return log_attempt(uow, settings, current, body, principal, may_override=may_override)

    result = await write(request, log)
    if isinstance(result, Refusal):
        raise result.problem()
    return AttemptPublic.model_validate(result, from_attributes=True)


@router.get(
    "/{case_id}/attempts",
    response_model=list[AttemptPublic],
    summary="The case's contact log, latest first",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_attempts(case: DeskCaseDep, session: ReaderDep) -> list[AttemptPublic]:
    rows = session.execute(
        select(ContactAttempt)
        .where(ContactAttempt.case_id == case.id)
        .order_by(ContactAttempt.started_at.desc())
        .limit(500)
    ).scalars()
    return [AttemptPublic.model_validate(r, from_attributes=True) for r in rows]


@router.get(
    "/{case_id}/follow-ups",
    response_model=list[FollowUpPublic],
    summary="Work the case's attempts left: re-checks, statements, call-backs",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_follow_ups(case: DeskCaseDep, session: ReaderDep) -> list[FollowUpPublic]:
    rows = session.execute(
        select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.due_at)
    ).scalars()
    return [FollowUpPublic.model_validate(r, from_attributes=True) for r in rows]
