"""A case as letters knows it: its limitation clock with its history, and its guarantees."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.letters.access import DESK, DeskCaseDep
from services.letters.handlers import GUARANTEE_MONTHS, months_after
from services.letters.limitation import clock_of
from services.letters.models import Guarantee, LimitationFact
from shared.auth.principal import Scope
from shared.auth.web import PrincipalDep, access
from shared.clock import to_local
from shared.errors import ProblemError
from shared.pastdue import Bucket, bucket_on, days_past_due
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

router = APIRouter(prefix="/cases", tags=["cases"])


class LetterCasePublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None = Field(description="The collector holding it; not shown to banks")
    total_owed: Decimal
    overdue_since: date | None = Field(description="The first overdue day (shared.pastdue)")
    days_past_due: int = Field(
        description="Today, as a letter issued today prints it; 0 when the first overdue "
        "day is unknown"
    )
    bucket: Bucket = Field(description="Today: M0, M1 (1–30 days) … M7+ (181 and more)")
    limitation_ends_on: date | None


class StepPublic(BaseModel):
    on: date
    fact: str
    ref: str
    note: str
    effect: str
    ends_on: date


class LimitationPublic(BaseModel):
    case_id: str
    ends_on: date | None
    expired: bool
    days_left: int | None
    history: list[StepPublic]


class GuaranteeIn(BaseModel):
    guarantor_name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=500)
    starts_on: date
    ends_on: date | None = Field(default=None, description="Default: 6 months after starts_on")


class GuaranteePublic(GuaranteeIn):
    id: str
    source: str


@router.get(
    "/{case_id}",
    response_model=LetterCasePublic,
    summary="A case as letters knows it",
    dependencies=[access(DESK, banks=True)],
)
def get_case(case: DeskCaseDep, who: PrincipalDep, runtime: RuntimeDep) -> LetterCasePublic:
    today = to_local(runtime.clock()).date()
    out = LetterCasePublic(
        case_id=case.id,
        days_past_due=days_past_due(case.overdue_since, today),
        bucket=bucket_on(case.overdue_since, today),
        **case.model_dump(exclude={"id"}),
    )
    return out.model_copy(update={"collector_id": None}) if who.is_bank else out


@router.get(
    "/{case_id}/limitation",
    response_model=LimitationPublic,
    summary="The 3-year limitation period and what moved it",
    dependencies=[access(DESK, banks=True)],
)
def get_limitation(case: DeskCaseDep, session: ReaderDep, runtime: RuntimeDep) -> LimitationPublic:
    clock = clock_of(session, case.id)
    notes = {
        (f.kind, f.ref): f.note
        for f in session.execute(
            select(LimitationFact).where(LimitationFact.case_id == case.id)
        ).scalars()
    }
    today = to_local(runtime.clock()).date()
    return LimitationPublic(
        case_id=case.id,
        ends_on=clock.ends_on,
        expired=clock.expired(today),
        days_left=clock.days_left(today),
        history=[
            StepPublic(
                on=s.fact.on,
                fact=s.fact.kind,
                ref=s.fact.ref,
                note=notes.get((s.fact.kind, s.fact.ref), ""),
                effect=s.effect,
                ends_on=s.ends_on,
            )
            for s in clock.steps
        ],
    )


@router.get(
    "/{case_id}/guarantees",
    response_model=list[GuaranteePublic],
    summary="The case's guarantors and their guarantee periods",
    dependencies=[access(DESK, banks=True)],
)
def list_guarantees(case: DeskCaseDep, session: ReaderDep) -> list[GuaranteePublic]:
    rows = session.execute(
        select(Guarantee).where(Guarantee.case_id == case.id).order_by(Guarantee.starts_on)
    ).scalars()
    return [GuaranteePublic(**g.model_dump()) for g in rows]


@router.post(
    "/{case_id}/guarantees",
    status_code=201,
    response_model=GuaranteePublic,
    summary="Enter a guarantor's agreed guarantee period",
    dependencies=[access(DESK, scope=Scope.TEAM)],
)
def add_guarantee(case: DeskCaseDep, body: GuaranteeIn, uow: WorkDep) -> GuaranteePublic:
    ends_on = body.ends_on or months_after(body.starts_on, GUARANTEE_MONTHS)
    if ends_on < body.starts_on:
        raise ProblemError(422, f"ends_on {ends_on} is before starts_on {body.starts_on}")
    row = Guarantee(
        id=str(uuid.uuid4()),
        case_id=case.id,
        source="agreed",
        **body.model_dump(exclude={"ends_on"}),
        ends_on=ends_on,
    )
    uow.session.add(row)
    return GuaranteePublic(**row.model_dump())
