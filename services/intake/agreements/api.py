"""Agreements (合作协议): back office files and changes them; a bank reads its own."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from services.intake import service, store
from services.intake.api.common import (
    BACK_OFFICE_OR_OWN_BANK,
    BACK_OFFICE_WRITES,
    NOT_FOUND,
    ObjectId,
    problem,
)
from services.intake.importing.parsing.file import MAPPABLE
from services.intake.schemas import AgreementCreate, AgreementPublic, AgreementUpdate
from shared.auth.web import ClientInScopeDep
from shared.errors import NotFound
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/clients/{client_id}/agreements", tags=["agreements"])


def _columns(body: BaseModel, *, partial: bool) -> dict[str, object]:
    """The request body as table columns (decimals inside JSON kept as text)."""
    values = body.model_dump(exclude_unset=partial, exclude={"commission"})
    commission = getattr(body, "commission", None)
    if commission is not None:
        values["commission_rate"] = commission.rate
        values["bucket_rates"] = {k: str(v) for k, v in commission.by_bucket.items()}
    for name in ("product_types", "regular_channel", "emergency_channel", "column_mapping"):
        if name in values and values[name] is None:
            values.pop(name)
    if "column_mapping" in values:
        service.check_mapping(values["column_mapping"], MAPPABLE)  # type: ignore[arg-type]
    return {k: v for k, v in values.items() if v is not None or not partial}


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
    return AgreementPublic.of(service.file_agreement(uow, scoped, _columns(body, partial=False)))


@router.get(
    "",
    response_model=list[AgreementPublic],
    summary="List a client's agreements (admins and HQ, or the client's own key)",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def list_agreements(scoped: ClientInScopeDep, session: ReaderDep) -> list[AgreementPublic]:
    if store.get_client(session, scoped) is None:
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
    values = _columns(body, partial=True)
    return AgreementPublic.of(service.change_agreement(uow, scoped, agreement_id, values))
