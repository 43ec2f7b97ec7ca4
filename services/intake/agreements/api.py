"""Agreements (合作协议): back office files and changes them; a bank reads its own.
``fields`` answers what a case file's columns may be mapped to."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.intake.access import (
    BACK_OFFICE_OR_OWN_BANK,
    BACK_OFFICE_WRITES,
    NOT_FOUND,
    ObjectId,
    problem,
)
from services.intake.agreements import service, store
from services.intake.agreements.schemas import (
    AgreementCreate,
    AgreementPublic,
    AgreementUpdate,
    MappingFields,
)
from services.intake.clients import store as clients
from shared.auth.web import ClientInScopeDep
from shared.errors import NotFound
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/clients/{client_id}/agreements", tags=["agreements"])
fields = APIRouter(tags=["agreements"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AgreementPublic,
    summary="File an agreement for a client (admins and HQ)",
    dependencies=[BACK_OFFICE_WRITES],
    responses={**NOT_FOUND, 409: problem("An agreement with this number is on file")},
)
def file_agreement(
    scoped: ClientInScopeDep, body: AgreementCreate, uow: WorkDep
) -> AgreementPublic:
    return AgreementPublic.of(
        service.file_agreement(uow, scoped, service.columns_of(body, partial=False))
    )


@router.get(
    "",
    response_model=list[AgreementPublic],
    summary="List a client's agreements (admins and HQ, or the client's own key)",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def list_agreements(scoped: ClientInScopeDep, session: ReaderDep) -> list[AgreementPublic]:
    if clients.get_client(session, scoped) is None:
        raise NotFound("client")
    return [AgreementPublic.of(a) for a in store.agreements_of(session, scoped)]


@router.get(
    "/{agreement_id}",
    response_model=AgreementPublic,
    summary="Read an agreement (admins and HQ, or the client's own key)",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_agreement(
    scoped: ClientInScopeDep, agreement_id: ObjectId, session: ReaderDep
) -> AgreementPublic:
    found = store.get_agreement(session, scoped, agreement_id)
    if found is None:
        raise NotFound("agreement")
    return AgreementPublic.of(found)


@router.patch(
    "/{agreement_id}",
    response_model=AgreementPublic,
    summary="Change an agreement: status, dates, terms, channels, mapping (admins and HQ)",
    description="Only the fields sent change; `column_mapping` is replaced whole when sent.",
    dependencies=[BACK_OFFICE_WRITES],
    responses={**NOT_FOUND, 409: problem("Another agreement has this number")},
)
def change_agreement(
    scoped: ClientInScopeDep,
    agreement_id: ObjectId,
    body: AgreementUpdate,
    uow: WorkDep,
) -> AgreementPublic:
    values = service.columns_of(body, partial=True)
    return AgreementPublic.of(service.change_agreement(uow, scoped, agreement_id, values))


@fields.get(
    "/mapping-fields",
    response_model=MappingFields,
    summary="The fields a case file's columns can be mapped to",
    description=(
        "Each field an agreement's `column_mapping` (the bank's header -> field) may name, "
        "whether a file must carry it, and the headers recognised without a mapping."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
)
def list_mapping_fields() -> MappingFields:
    return service.mapping_fields()
