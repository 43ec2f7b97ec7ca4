"""An agreement as filed, changed and shown: its terms, channels and column mapping; the
fields a bank's columns may be mapped to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.intake.agreements.domain import retention_until
from services.intake.agreements.models import Agreement
from services.intake.case_files.parsing.mapping import MAPPING_TARGETS
from shared.clock import UtcDatetime
from shared.pastdue import Bucket, unknown_buckets
from shared.web.strict import NOT_BLANK, WHITE_SPACE, decimal_text

Status = Literal["draft", "active", "suspended", "ended"]
# No white space or @ in the parts, spelled out so every regex engine reads it alike.
_PART = f"[^@{WHITE_SPACE}]+"
EMAIL = f"^{_PART}@{_PART}\\.{_PART}$"
Amount = Annotated[decimal_text(), Field(ge=0, max_digits=18, decimal_places=2)]
Rate = Annotated[
    decimal_text(digits=6, places=4, at_most_one=True),
    Field(ge=0, le=1, max_digits=6, decimal_places=4),
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK)
]
# Compared as header_key does (NFKC, no surrounding spaces, case-folded), so kept as sent.
Header = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# Our fields a bank's header may name ("" ignores the column).
MappedField = Literal[tuple(sorted(MAPPING_TARGETS | {""}))]  # type: ignore[valid-type]


class Channel(BaseModel):
    """A liaison channel with the client: who to reach and how."""

    contact_person: Text
    phone: str = Field(pattern=r"^[0-9+()\- ]{5,30}$")
    email: str = Field(pattern=EMAIL, max_length=200)


class Commission(BaseModel):
    rate: Rate = Field(description="Share of recovered amounts, e.g. 0.18 for 18%")
    by_bucket: dict[Bucket, Rate] = Field(
        default_factory=dict,
        description="Rates by days-past-due bucket where they differ from `rate`: M0, M1 "
        "(1–30 days), M2 (31–60) … M6 (151–180), M7+ (181 and more). A payment is charged "
        "at the rate of the case's bucket on the day it was paid.",
    )


class CommissionTerms(BaseModel):
    """The commission as stored; ``unknown_buckets`` names keys no bucket matches (an
    agreement saved before keys were checked), which are never applied."""

    rate: Rate
    by_bucket: dict[str, Rate] = Field(default_factory=dict)
    unknown_buckets: list[str] = Field(default_factory=list)


class AgreementBase(BaseModel):
    product_types: list[Text] = Field(default_factory=list, max_length=50)
    reconciliation_day: int = Field(ge=1, le=28, description="Day of month for 对账")
    recovery_target: Amount = Field(description="CNY")
    commission: Commission
    regular_channel: Channel = Field(description="Carries the data files")
    emergency_channel: Channel
    column_mapping: dict[Header, MappedField] = Field(
        default_factory=dict,
        description="The bank's column header -> our field, on top of the default mapping; "
        'each field named by one header at most (else 422), "" ignores the column',
    )
    strict: bool = Field(
        default=False,
        description="Strict validation: every warning in a case file rejects its row",
    )
    outsourcing_needs_approval: bool = Field(
        default=False,
        description="Placing a case with an outside agency (委外) waits for an approval",
    )


class AgreementCreate(AgreementBase):
    number: Text
    status: Status = "draft"
    start_date: date
    end_date: date = Field(description="Not before start_date (else 422)")


class AgreementUpdate(BaseModel):
    number: Text | None = None
    status: Status | None = None
    start_date: date | None = None
    end_date: date | None = Field(
        default=None,
        description="Not before start_date: both sent, else 422; one sent against the other "
        "on file, else 409",
    )
    product_types: list[Text] | None = Field(default=None, max_length=50)
    reconciliation_day: int | None = Field(default=None, ge=1, le=28)
    recovery_target: Amount | None = None
    commission: Commission | None = None
    regular_channel: Channel | None = None
    emergency_channel: Channel | None = None
    column_mapping: dict[Header, MappedField] | None = Field(
        default=None, description="As when filed: each field named by one header at most"
    )
    strict: bool | None = None
    outsourcing_needs_approval: bool | None = None


class AgreementPublic(AgreementCreate):
    commission: CommissionTerms  # type: ignore[assignment]
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
            commission=CommissionTerms(
                rate=a.commission_rate,
                by_bucket={k: Decimal(v) for k, v in a.bucket_rates.items()},
                unknown_buckets=unknown_buckets(a.bucket_rates),
            ),
            regular_channel=Channel(**a.regular_channel),
            emergency_channel=Channel(**a.emergency_channel),
            column_mapping=dict(a.column_mapping),
            strict=a.strict,
            outsourcing_needs_approval=a.outsourcing_needs_approval,
            retention_until=retention_until(a.end_date),
            created_at=a.created_at,
            updated_at=a.updated_at,
        )


class MappingField(BaseModel):
    field: str = Field(description="What an agreement's `column_mapping` may name")
    feeds: str = Field(description="The case field it fills (every phone column: `phones`)")
    required: bool = Field(description="A file must carry it, by mapping or default header")
    default_headers: list[str] = Field(description="Headers read as this field unmapped")


class MappingFields(BaseModel):
    fields: list[MappingField]
    ignore: str = Field(default="", description='Map a header to "" to ignore its column')
