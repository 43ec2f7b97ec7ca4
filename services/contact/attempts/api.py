"""The contact log of a case: log an attempt (the rules decide first), read the log and
the follow-ups it left; and late entries as a supervisor reads them: attempts logged long
after the time they state, with the collector's reason, for the cases the reader oversees."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from services.contact.access import (
    CASE_WRITES,
    OVERRIDERS,
    OVERSEERS,
    DeskCaseDep,
    DeskPrincipalDep,
    SettingsDep,
)
from services.contact.attempts import store
from services.contact.attempts.models import ContactAttempt
from services.contact.attempts.schemas import AttemptCreate, AttemptPublic, FollowUpPublic
from services.contact.attempts.service import Refusal, log_attempt
from services.contact.cases import store as cases
from shared.auth.web import ANY_STAFF, PrincipalDep, access
from shared.bus.work import UnitOfWork
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep
from shared.web.sessions import write

router = APIRouter(prefix="/cases", tags=["contact log"])
late_entry_routes = APIRouter(tags=["contact log"])


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


@late_entry_routes.get(
    "/late-entries",
    response_model=list[AttemptPublic],
    summary="Attempts logged long after their stated time, for the supervisor (latest first)",
    description="An attempt whose `started_at` lies more than `CONTACT_LATE_ENTRY_MINUTES` "
    "before it was logged carries `late_entry: true` and the collector's "
    "`late_entry_reason`; compare `started_at` with `logged_at`.",
    dependencies=[access(OVERSEERS)],
)
def late_entries(
    principal: PrincipalDep,
    session: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AttemptPublic]:
    return [
        AttemptPublic.model_validate(r, from_attributes=True)
        for r in store.late_entries(session, principal, limit)
    ]
