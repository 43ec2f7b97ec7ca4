"""Promises to pay on a case: record one (an amount by a date, or instalments), read them."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from sqlmodel import Session

from services.contact.access import (
    CASE_WRITES,
    DeskCaseDep,
    DeskPrincipalDep,
    SettingsDep,
    desk_case_in,
)
from services.contact.attempts.service import attempt_on
from services.contact.promises import store
from services.contact.promises.schemas import PromiseCreate, PromisePublic
from services.contact.promises.service import make_promise
from shared.auth.web import ANY_STAFF
from shared.errors import NotFound, Problem
from shared.places import zone
from shared.web.deps import WorkDep
from shared.web.sessions import read

router = APIRouter(prefix="/cases", tags=["promises"])


@router.post(
    "/{case_id}/promises",
    status_code=status.HTTP_201_CREATED,
    response_model=PromisePublic,
    summary="Record a promise to pay",
    description="Each instalment is kept, partly kept or broken by the payments the client "
    "reports, counting those made from the start of the day of the promise (a payment a "
    "minute before it was recorded counts, unless an earlier promise took it) to the end of "
    "its due date plus the grace period. "
    "Emits `PaymentPromised`; later `PromiseKept` or `PromiseBroken` per instalment.",
    dependencies=[CASE_WRITES],
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
def add_promise(
    body: PromiseCreate,
    case: DeskCaseDep,
    principal: DeskPrincipalDep,
    uow: WorkDep,
    settings: SettingsDep,
) -> PromisePublic:
    if body.attempt_id is not None and attempt_on(uow.session, case.id, body.attempt_id) is None:
        raise NotFound("attempt")
    promise, instalments = make_promise(
        uow,
        case,
        principal.subject,
        body.plan(),
        tz=zone(case.timezone, settings.default_timezone),
        grace_days=settings.promise_grace_days,
        attempt_id=body.attempt_id,
    )
    return PromisePublic.of(promise, instalments)


@router.get(
    "/{case_id}/promises",
    response_model=list[PromisePublic],
    summary="The case's promises to pay and how each instalment stands",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
async def list_promises(request: Request, case_id: str) -> list[PromisePublic]:
    def promises(session: Session) -> list[PromisePublic]:
        case = desk_case_in(request, session, case_id)
        return [PromisePublic.of(p, plan) for p, plan in store.promises_of(session, case.id)]

    return await read(request, promises)
