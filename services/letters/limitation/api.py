"""A case's limitation clock with its history, its guarantees, and the cases whose
limitation period ends soon."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from services.letters.access import DESK, DeskCaseDep, SettingsDep
from services.letters.domain.limitation import GUARANTEE_MONTHS, months_after
from services.letters.limitation.models import Guarantee
from services.letters.limitation.schemas import (
    EndingCase,
    GuaranteeIn,
    GuaranteePublic,
    LimitationPublic,
    StepPublic,
)
from services.letters.limitation.service import clock_of
from services.letters.limitation.store import (
    ending_by,
    facts_of,
    guarantees_of,
    keep_guarantee,
)
from shared.auth.policy import CaseScope, can_see_case
from shared.auth.principal import Scope
from shared.auth.web import PrincipalDep, access
from shared.clock import to_local
from shared.errors import ProblemError
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

router = APIRouter(prefix="/cases", tags=["cases"])
ending = APIRouter()


@router.get(
    "/{case_id}/limitation",
    response_model=LimitationPublic,
    summary="The 3-year limitation period and what moved it",
    dependencies=[access(DESK, banks=True)],
)
def get_limitation(case: DeskCaseDep, session: ReaderDep, runtime: RuntimeDep) -> LimitationPublic:
    clock = clock_of(session, case.id)
    notes = {(f.kind, f.ref): f.note for f in facts_of(session, case.id)}
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
    return [GuaranteePublic(**g.model_dump()) for g in guarantees_of(session, case.id)]


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
    keep_guarantee(uow.session, row)
    return GuaranteePublic(**row.model_dump())


@ending.get(
    "/limitation/ending",
    response_model=list[EndingCase],
    tags=["cases"],
    summary="Cases whose limitation period ends within the given days (those you may see)",
    dependencies=[access(DESK)],
)
def ending_soon(
    session: ReaderDep,
    who: PrincipalDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    within_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
) -> list[EndingCase]:
    today = to_local(runtime.clock()).date()
    until = today + timedelta(days=within_days or settings.limitation_warning_days)
    rows = ending_by(session, runtime.parts.security.case_visibility, until)
    return [
        EndingCase(
            case_id=case.id,
            client_id=case.client_id,
            collector_id=collector_id,
            limitation_ends_on=case.limitation_ends_on,
            days_left=(case.limitation_ends_on - today).days,
        )
        for case, collector_id, team_id, branch_id in rows
        if case.limitation_ends_on is not None
        and can_see_case(who, CaseScope(case.id, case.client_id, collector_id, team_id, branch_id))
    ]
