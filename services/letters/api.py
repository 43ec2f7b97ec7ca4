"""A case as letters knows it."""

from __future__ import annotations

from fastapi import APIRouter

from services.letters.access import DESK, DeskCaseDep
from services.letters.schemas import LetterCasePublic
from shared.auth.web import PrincipalDep, access
from shared.clock import to_local
from shared.pastdue import bucket_on, days_past_due
from shared.web.deps import RuntimeDep

router = APIRouter(prefix="/cases", tags=["cases"])


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
