"""Letters' HTTP routes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel

from services.letters.models import LetterCase
from shared.auth.web import ANY_STAFF, VisibleCaseDep
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep

router = APIRouter(prefix="/cases", tags=["cases"])


class LetterCasePublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    total_owed: Decimal
    overdue_since: date | None


@router.get(
    "/{case_id}",
    response_model=LetterCasePublic,
    summary="A case as letters knows it",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def get_case(scope: VisibleCaseDep, session: ReaderDep) -> LetterCasePublic:
    case = session.get(LetterCase, scope.case_id)
    if case is None:
        raise NotFound("case")
    return LetterCasePublic(
        case_id=case.id,
        client_id=case.client_id,
        collector_id=case.collector_id,
        total_owed=case.total_owed,
        overdue_since=case.overdue_since,
    )
