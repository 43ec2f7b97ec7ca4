"""Contact's HTTP routes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import Session

from services.contact.cases import store
from services.contact.cases.schemas import ContactCasePublic
from shared.auth.web import ANY_STAFF, case_in_view
from shared.clock import to_local
from shared.errors import NotFound, Problem
from shared.pastdue import bucket_on, days_past_due
from shared.web.sessions import read

router = APIRouter(prefix="/cases", tags=["cases"])


@router.get(
    "/{case_id}",
    response_model=ContactCasePublic,
    summary="A case as contact knows it",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
async def get_case(request: Request, case_id: str) -> ContactCasePublic:
    today = to_local(request.app.state.runtime.clock()).date()

    def view(session: Session) -> ContactCasePublic:
        case = store.case(session, case_in_view(request, session, case_id).case_id)
        if case is None:
            raise NotFound("case")
        return ContactCasePublic(
            case_id=case.id,
            client_id=case.client_id,
            collector_id=case.collector_id,
            phone_count=case.phone_count,
            overdue_since=case.overdue_since,
            days_past_due=days_past_due(case.overdue_since, today),
            bucket=bucket_on(case.overdue_since, today),
        )

    return await read(request, view)
