"""A case's phones and addresses: read them, add one found by skip tracing (失联修复) or
given by the debtor, confirm one or mark it wrong."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import bindparam, select
from sqlmodel import Session

from services.contact.access import CASE_WRITES, DeskCaseDep, DeskPrincipalDep, desk_case_in
from services.contact.attempts.domain import Party
from services.contact.details import service
from services.contact.details.domain import DetailKind
from services.contact.details.models import ContactDetail
from shared.auth.policy import sees_full_phone
from shared.auth.principal import Principal
from shared.auth.web import ANY_STAFF, current_principal
from shared.clock import UtcDatetime
from shared.errors import NotFound, Problem
from shared.logging import mask_phone
from shared.web.deps import WorkDep
from shared.web.sessions import read

router = APIRouter(prefix="/cases", tags=["contact details"])
_DETAILS = (
    select(ContactDetail)
    .where(ContactDetail.case_id == bindparam("case_id"))
    .order_by(ContactDetail.party, ContactDetail.kind, ContactDetail.added_at)
)


class DetailCreate(BaseModel):
    party: Party = "debtor"
    party_name: str | None = Field(default=None, max_length=100)
    kind: DetailKind
    value: str = Field(min_length=3, max_length=300, description="The number or the address")
    label: Literal["mobile", "home", "work", "other"] | None = None
    source: Literal["debtor", "skip_tracing"] = Field(
        description="skip_tracing: found by 失联修复; debtor: given by the debtor"
    )
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _named(self) -> DetailCreate:
        if self.party == "contact" and not (self.party_name or "").strip():
            raise ValueError("a contact's detail names the contact: give party_name")
        self.value = self.value.strip()
        return self


class DetailChange(BaseModel):
    status: Literal["valid", "invalid"] = Field(
        description="invalid bars a phone number for the contact rules; valid lifts that"
    )
    note: str | None = Field(default=None, max_length=500)


class DetailPublic(BaseModel):
    id: str
    party: str
    party_name: str | None
    kind: str
    label: str | None
    value: str
    status: str
    source: str
    note: str | None
    added_by: str | None
    added_at: UtcDatetime
    changed_at: UtcDatetime

    @classmethod
    def shown_to(cls, principal: Principal, detail: ContactDetail) -> DetailPublic:
        public = cls.model_validate(detail, from_attributes=True)
        if detail.kind == "phone" and not sees_full_phone(principal):
            public.value = mask_phone(public.value) or ""
        return public


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
        rows = session.execute(_DETAILS, {"case_id": case.id}).scalars()
        return [DetailPublic.shown_to(principal, r) for r in rows]

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
    detail = uow.session.get(ContactDetail, detail_id)
    if detail is None or detail.case_id != case.id:
        raise NotFound("contact detail")
    service.set_status(uow, detail, body.status, body.note)
    return DetailPublic.shown_to(principal, detail)
