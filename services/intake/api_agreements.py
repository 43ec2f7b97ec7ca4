"""Agreements (合作协议): back office files and changes them; a bank reads its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, StringConstraints

from services.intake import agreements, source, store
from services.intake.api_common import (
    BACK_OFFICE,
    BACK_OFFICE_OR_OWN_BANK,
    NOT_FOUND,
    ObjectId,
    problem,
)
from services.intake.models import Agreement
from shared.auth.web import ClientInScopeDep
from shared.clock import UtcDatetime
from shared.errors import NotFound
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/clients/{client_id}/agreements", tags=["agreements"])

Status = Literal["draft", "active", "suspended", "ended"]
Rate = Annotated[Decimal, Field(ge=0, le=1, max_digits=6, decimal_places=4)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Header = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Channel(BaseModel):
    """A liaison channel with the client: who to reach and how."""

    contact_person: Text
    phone: str = Field(pattern=r"^[0-9+()\- ]{5,30}$")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)


class Commission(BaseModel):
    rate: Rate = Field(description="Share of recovered amounts, e.g. 0.18 for 18%")
    by_bucket: dict[Text, Rate] = Field(
        default_factory=dict, description="Rates by overdue bucket (e.g. M2, M3) where they differ"
    )


class AgreementFields(BaseModel):
    product_types: list[Text] = Field(default_factory=list, max_length=50)
    reconciliation_day: int = Field(ge=1, le=28, description="Day of month for 对账")
    recovery_target: Decimal = Field(ge=0, max_digits=18, decimal_places=2, description="CNY")
    commission: Commission
    regular_channel: Channel = Field(description="Carries the data files")
    emergency_channel: Channel
    column_mapping: dict[Header, str] = Field(
        default_factory=dict,
        description="The bank's column header -> our field, on top of the default mapping",
    )
    strict: bool = Field(
        default=False,
        description="Strict validation: every warning in a case file rejects its row",
    )


class AgreementCreate(AgreementFields):
    number: Text
    status: Status = "draft"
    start_date: date
    end_date: date


class AgreementUpdate(BaseModel):
    number: Text | None = None
    status: Status | None = None
    start_date: date | None = None
    end_date: date | None = None
    product_types: list[Text] | None = Field(default=None, max_length=50)
    reconciliation_day: int | None = Field(default=None, ge=1, le=28)
    recovery_target: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    commission: Commission | None = None
    regular_channel: Channel | None = None
    emergency_channel: Channel | None = None
    column_mapping: dict[Header, str] | None = None
    strict: bool | None = None


class AgreementPublic(AgreementCreate):
    id: str
    client_id: str
    retention_until: date = Field(description="End date + 5 years: material is kept until then")
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @classmethod
    def of(cls, a: Agreement) -> AgreementPublic:
        return cls(
            id=a.id,
            client_id=a.client_id,
            number=a.number,
            status=a.status,  # type: ignore[arg-type]
            start_date=a.start_date,
            end_date=a.end_date,
            product_types=list(a.product_types),
            reconciliation_day=a.reconciliation_day,
            recovery_target=a.recovery_target,
            commission=Commission(
                rate=a.commission_rate,
                by_bucket={k: Decimal(v) for k, v in a.bucket_rates.items()},
            ),
            regular_channel=Channel(**a.regular_channel),
            emergency_channel=Channel(**a.emergency_channel),
            column_mapping=dict(a.column_mapping),
            strict=a.strict,
            retention_until=agreements.retention_until(a.end_date),
            created_at=a.created_at,
            updated_at=a.updated_at,
        )


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
        agreements.check_mapping(values["column_mapping"], source.FIELDS)  # type: ignore[arg-type]
    return {k: v for k, v in values.items() if v is not None or not partial}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AgreementPublic,
    summary="File an agreement for a client (admins and HQ)",
    dependencies=[BACK_OFFICE],
    responses={**NOT_FOUND, 409: problem("An agreement with this number is on file")},
)
def file_agreement(
    scoped: ClientInScopeDep, body: AgreementCreate, uow: WorkDep
) -> AgreementPublic:
    return AgreementPublic.of(agreements.file_agreement(uow, scoped, _columns(body, partial=False)))


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
    dependencies=[BACK_OFFICE],
    responses={**NOT_FOUND, 409: problem("Another agreement has this number")},
)
def change_agreement(
    scoped: ClientInScopeDep,
    agreement_id: ObjectId,
    body: AgreementUpdate,
    uow: WorkDep,
) -> AgreementPublic:
    values = _columns(body, partial=True)
    return AgreementPublic.of(agreements.change_agreement(uow, scoped, agreement_id, values))
