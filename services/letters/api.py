"""A case as letters knows it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.letters.access import DESK, DeskCaseDep
from shared.auth.web import PrincipalDep, access
from shared.clock import to_local
from shared.pastdue import Bucket, bucket_on, days_past_due
from shared.web.deps import RuntimeDep

router = APIRouter(prefix="/cases", tags=["cases"])


class LetterCasePublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None = Field(description="The collector holding it; not shown to banks")
    debtor_name: str | None = Field(
        default=None, description="As the bank sent it: the case's holder writes to this person"
    )
    total_owed: Decimal
    overdue_since: date | None = Field(description="The first overdue day (shared.pastdue)")
    days_past_due: int = Field(
        description="Today, as a letter issued today prints it; 0 when the first overdue "
        "day is unknown"
    )
    bucket: Bucket = Field(description="Today: M0, M1 (1–30 days) … M7+ (181 and more)")
    limitation_ends_on: date | None


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
