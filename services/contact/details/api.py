"""A case's phones and addresses: read them, add one found by skip tracing (失联修复) or
given by the debtor, confirm one or mark it wrong."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from sqlmodel import Session

from services.contact.access import CASE_WRITES, DeskCaseDep, DeskPrincipalDep, desk_case_in
from services.contact.details import service, store
from services.contact.details.models import ContactDetail
from services.contact.details.schemas import DetailChange, DetailCreate, DetailPublic
from shared.auth.web import ANY_STAFF, current_principal
from shared.errors import NotFound, Problem
from shared.web.deps import WorkDep
from shared.web.sessions import read

router = APIRouter(prefix="/cases", tags=["contact details"])


@router.get(
    "/{case_id}/contact-details",
    response_model=list[DetailPublic],
    summary="The case's phones and addresses, with status and source",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
async def list_details(request: Request, case_id: str) -> list[DetailPublic]:
    principal = current_principal(request)

    def details(session: Session) -> list[DetailPublic]:
        case = desk_case_in(request, session, case_id)
        return [DetailPublic.shown_to(principal, r) for r in store.details_of(session, case.id)]

    return await read(request, details)


@router.post(
    "/{case_id}/contact-details",
    status_code=status.HTTP_201_CREATED,
    response_model=DetailPublic,
    summary="Add a phone or address found by skip tracing or given by the debtor",
    description="Added as unverified. Emits `ContactDetailsChanged` (added).",
    dependencies=[CASE_WRITES],
    responses={404: {"model": Problem}, 409: {"model": Problem}},
)
def add_detail(
    body: DetailCreate, case: DeskCaseDep, principal: DeskPrincipalDep, uow: WorkDep
) -> DetailPublic:
    detail = service.add(
        uow,
        ContactDetail(
            id="",
            case_id=case.id,
            party=body.party,
            party_name=(body.party_name or "").strip() or None,
            kind=body.kind,
            label=body.label,
            value=body.value,
            source=body.source,
            note=body.note,
            added_by=principal.subject,
            added_at=uow.now,
            changed_at=uow.now,
        ),
    )
    return DetailPublic.shown_to(principal, detail)


@router.patch(
    "/{case_id}/contact-details/{detail_id}",
    response_model=DetailPublic,
    summary="Confirm a phone or address, or mark it wrong",
    description="A phone marked invalid is barred for the contact rules (as a wrong-number "
    "call bars it); confirming it lifts that. Emits `ContactDetailsChanged`.",
    dependencies=[CASE_WRITES],
    responses={404: {"model": Problem}},
)
def change_detail(
    detail_id: str,
    body: DetailChange,
    case: DeskCaseDep,
    principal: DeskPrincipalDep,
    uow: WorkDep,
) -> DetailPublic:
    detail = service.detail_on(uow.session, case.id, detail_id)
    if detail is None:
        raise NotFound("contact detail")
    service.set_status(uow, detail, body.status, body.note)
    return DetailPublic.shown_to(principal, detail)
