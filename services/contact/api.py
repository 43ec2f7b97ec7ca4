"""Contact's HTTP routes."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from services.contact.models import ContactCase
from shared.auth.web import ANY_STAFF, VisibleCaseDep
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep

router = APIRouter(prefix="/cases", tags=["cases"])


class ContactCasePublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    phone_count: int


@router.get(
    "/{case_id}",
    response_model=ContactCasePublic,
    summary="A case as contact knows it",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def get_case(scope: VisibleCaseDep, session: ReaderDep) -> ContactCasePublic:
    case = session.get(ContactCase, scope.case_id)
    if case is None:
        raise NotFound("case")
    return ContactCasePublic(
        case_id=case.id,
        client_id=case.client_id,
        collector_id=case.collector_id,
        phone_count=case.phone_count,
    )
