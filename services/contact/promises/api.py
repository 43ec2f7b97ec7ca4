"""Promises to pay on a case: record one (an amount by a date, or instalments), read them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import bindparam, select
from sqlmodel import Session

from services.contact.access import (
    CASE_WRITES,
    DeskCaseDep,
    DeskPrincipalDep,
    SettingsDep,
    desk_case_in,
)
from services.contact.attempts.models import ContactAttempt
from services.contact.promises.models import Instalment, Promise
from services.contact.promises.service import make_promise
from shared.auth.web import ANY_STAFF
from shared.clock import UtcDatetime
from shared.errors import NotFound, Problem
from shared.places import zone
from shared.web.deps import WorkDep
from shared.web.sessions import read
from shared.web.strict import decimal_text

router = APIRouter(prefix="/cases", tags=["promises"])
_PROMISES = (
    select(Promise)
    .where(Promise.case_id == bindparam("case_id"))
    .order_by(Promise.promised_at.desc())
)
Amount = Field(gt=0, max_digits=16, decimal_places=2)

PositiveAmount = decimal_text(digits=16, positive=True)


class InstalmentIn(BaseModel):
    due_on: date
    amount: Decimal = Amount


class PromiseCreate(BaseModel):
    amount: PositiveAmount | None = Field(default=None, gt=0, max_digits=16, decimal_places=2)
    due_on: date | None = None
    instalments: list[InstalmentIn] | None = Field(default=None, min_length=1, max_length=60)
    attempt_id: str | None = Field(default=None, max_length=36)

    @model_validator(mode="after")
    def _one_form(self) -> PromiseCreate:
        single = self.amount is not None and self.due_on is not None
        if single == bool(self.instalments) or (self.amount is None) != (self.due_on is None):
            raise ValueError("give either amount and due_on, or instalments")
        return self

    def plan(self) -> list[tuple[date, Decimal]]:
        if self.instalments:
            return [(i.due_on, i.amount) for i in self.instalments]
        assert self.due_on is not None and self.amount is not None
        return [(self.due_on, self.amount)]


class InstalmentPublic(BaseModel):
    seq: int
    due_on: date
    deadline: UtcDatetime
    amount: Decimal
    paid_on_time: Decimal
    paid_late: Decimal
    state: str
    decided_at: UtcDatetime | None


class PromisePublic(BaseModel):
    id: str
    collector_id: str
    attempt_id: str | None
    amount: Decimal
    promised_at: UtcDatetime
    counts_payments_from: UtcDatetime = Field(
        description="Payments made from this moment (the start of the day of the promise on "
        "the debtor's clock) count toward it, also those a minute before it was recorded; "
        "earlier ones, and money earlier promises already took, do not"
    )
    state: str
    instalments: list[InstalmentPublic]


def _public(promise: Promise, instalments: list[Instalment]) -> PromisePublic:
    return PromisePublic(
        id=promise.id,
        collector_id=promise.collector_id,
        attempt_id=promise.attempt_id,
        amount=promise.amount,
        promised_at=promise.promised_at,
        counts_payments_from=promise.counts_from or promise.promised_at,
        state=promise.state,
        instalments=[InstalmentPublic.model_validate(i, from_attributes=True) for i in instalments],
    )


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
    if body.attempt_id is not None:
        attempt = uow.session.get(ContactAttempt, body.attempt_id)
        if attempt is None or attempt.case_id != case.id:
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
    return _public(promise, instalments)


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
        found = list(session.execute(_PROMISES, {"case_id": case.id}).scalars())
        plans: dict[str, list[Instalment]] = {p.id: [] for p in found}
        if plans:
            for instalment in session.execute(
                select(Instalment)
                .where(Instalment.promise_id.in_(list(plans)))
                .order_by(Instalment.promise_id, Instalment.seq)
            ).scalars():
                plans[instalment.promise_id].append(instalment)
        return [_public(p, plans[p.id]) for p in found]

    return await read(request, promises)
