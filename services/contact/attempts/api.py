"""The contact log of a case: log an attempt (the rules decide first), read the log and
the follow-ups it left."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from services.contact.access import (
    CASE_WRITES,
    OVERRIDERS,
    DeskCaseDep,
    DeskPrincipalDep,
    SettingsDep,
)
from services.contact.attempts import store
from services.contact.attempts.models import ContactAttempt
from services.contact.attempts.schemas import AttemptCreate, AttemptPublic, FollowUpPublic
from services.contact.attempts.service import Refusal, log_attempt
from services.contact.cases import store as cases
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
        current = cases.case(uow.session, case.id)
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
    return [
        AttemptPublic.model_validate(r, from_attributes=True)
        for r in store.attempts_of(session, case.id)
    ]


@router.get(
    "/{case_id}/follow-ups",
    response_model=list[FollowUpPublic],
    summary="Work the case's attempts left: re-checks, statements, call-backs",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_follow_ups(case: DeskCaseDep, session: ReaderDep) -> list[FollowUpPublic]:
    return [
        FollowUpPublic.model_validate(r, from_attributes=True)
        for r in store.follow_ups_of(session, case.id)
    ]
