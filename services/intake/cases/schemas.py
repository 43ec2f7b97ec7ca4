"""Every body intake reads and every answer it gives: clients, API keys, agreements, case
files (batches), cases (masked by role) and payments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from services.intake import domain
from services.intake.importing.parsing.mapping import MAPPING_TARGETS
from services.intake.importing.parsing.values import parse_amount
from services.intake.models import Agreement, ApiKey, Case, Client, ImportBatch
from services.intake.pii import shown_id_number, shown_name, shown_phone
from shared.auth.policy import sees_full_id_number, sees_full_phone
from shared.auth.principal import Principal
from shared.auth.web import CLIENT_ID_PATTERN
from shared.clock import UtcDatetime
from shared.logging import mask_address
from shared.pastdue import Bucket, bucket_on, days_past_due, first_overdue_day, unknown_buckets
from shared.web.strict import NOT_BLANK, WHITE_SPACE, decimal_text

# --- clients and API keys ----------------------------------------------------------------


class ClientCreate(BaseModel):
    id: str = Field(pattern=CLIENT_ID_PATTERN, description="The client's code, e.g. ICBC-SH")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["bank", "creditor"] = Field(
        default="bank", description="A bank, or another creditor"
    )


class ClientPublic(BaseModel):
    id: str
    name: str
    kind: str
    active: bool
    created_at: UtcDatetime

    @classmethod
    def of(cls, client: Client) -> ClientPublic:
        return cls.model_validate(client, from_attributes=True)


class ApiKeyCreate(BaseModel):
    label: str = Field(
        min_length=1, max_length=100, description="What the key is for, e.g. 'nightly upload'"
    )


class ApiKeyPublic(BaseModel):
    id: str
    client_id: str
    prefix: str = Field(description="The 8 characters after `ck_`; the rest is never shown")
    label: str
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None
    last_used_at: UtcDatetime | None = Field(description="Updated at most once a minute")

    @classmethod
    def of(cls, api_key: ApiKey) -> ApiKeyPublic:
        return cls.model_validate(api_key, from_attributes=True)


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself: shown this once, never stored or shown again")


# --- agreements ----------------------------------------------------------------------------

Status = Literal["draft", "active", "suspended", "ended"]
# No white space or @ in the parts, spelled out so every regex engine reads it alike.
_PART = f"[^@{WHITE_SPACE}]+"
EMAIL = f"^{_PART}@{_PART}\\.{_PART}$"
Ref = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=NOT_BLANK)
]
Amount = Annotated[decimal_text(), Field(ge=0, max_digits=18, decimal_places=2)]
PositiveAmount = Annotated[
    decimal_text(positive=True), Field(gt=0, max_digits=18, decimal_places=2)
]
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


class AgreementFields(BaseModel):
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


class AgreementCreate(AgreementFields):
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
            retention_until=domain.retention_until(a.end_date),
            created_at=a.created_at,
            updated_at=a.updated_at,
        )


# --- case files and cases -----------------------------------------------------------------


class BatchPublic(BaseModel):
    id: str
    client_id: str
    agreement_id: str | None
    filename: str
    sha256: str
    size_bytes: int
    all_or_nothing: bool
    strict: bool = Field(description="The agreement asked for strict validation")
    as_of: date | None = Field(
        description="The day the bank extracted the file: the as_of form field, else its "
        "first row's as-of column; null when neither was given"
    )
    offline_incident_id: str | None = Field(
        default=None,
        description="Offline intake: the data-transfer-failure incident the file came in for",
    )
    state: str = Field(description="received, running, completed or failed")
    failure: str | None = Field(description="Why the batch failed, when it did")
    received_at: UtcDatetime
    started_at: UtcDatetime | None
    completed_at: UtcDatetime | None
    rows_total: int
    rows_processed: int
    rows_imported: int = Field(description="New cases")
    rows_updated: int = Field(description="Existing cases the file changed")
    rows_unchanged: int = Field(description="Existing cases the file carried unchanged")
    rows_rejected: int = Field(description="Rows with an error: not imported")
    rows_with_warnings: int = Field(
        description="Rows imported with warnings (a field left empty or unverified)"
    )
    progress: float = Field(description="0..1 while running; 1 when done")
    entry_seconds: float | None = Field(description="completed_at - received_at")
    entry_overdue: bool = Field(description="Entry took (or is taking) more than 2 hours")
    errors_url: str
    url: str

    @classmethod
    def of(cls, batch: ImportBatch, now: datetime) -> BatchPublic:
        url = f"/clients/{batch.client_id}/case-files/{batch.id}"
        clock = domain.progress_of(
            done=batch.state in ("completed", "failed"),
            bytes_read=batch.bytes_read,
            size_bytes=batch.size_bytes,
            passes=2 if batch.all_or_nothing else 1,
            received_at=batch.received_at,
            completed_at=batch.completed_at,
            now=now,
        )
        return cls.model_validate(
            {**batch.model_dump(), **clock, "url": url, "errors_url": f"{url}/errors.csv"}
        )


class ContactPublic(BaseModel):
    name: str
    relation: str | None = None
    phones: list[str] = []


class CasePublic(BaseModel):
    id: str
    client_id: str
    agreement_id: str | None = None
    account_ref: str
    batch_id: str
    state: str = Field(default="active", description="active or recalled")
    product_type: str | None = None
    debtor_name: str = Field(description="Masked (surname only) for roles that do not need it")
    id_number: str | None = Field(
        description="Full for the bank and admins/HQ, else masked: 110101********1234"
    )
    phone: str | None = Field(description="Full for those who dial it, else masked")
    phones: list[str] = []
    home_address: str | None = None
    work_address: str | None = None
    employer: str | None = None
    contacts: list[ContactPublic] = []
    principal: Decimal = Decimal("0")
    interest: Decimal = Decimal("0")
    penalty: Decimal = Decimal("0")
    fees: Decimal = Decimal("0")
    total_owed: Decimal
    overdue_since: date | None
    days_past_due: int | None = Field(
        default=None, description="Days past due today (shared.pastdue), None when unknown"
    )
    bucket: Bucket | None = Field(default=None, description="The bucket today: M0 … M7+")
    bank_bucket: str | None = Field(default=None, description="The bank's own 账龄 label")
    branch: str | None = None
    notes: str | None = None
    received_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    recalled_at: UtcDatetime | None = None

    @classmethod
    def of(cls, case: Case, viewer: Principal, today: date) -> CasePublic:
        """``today`` (Shanghai) is the day days past due and the bucket are counted to."""
        full_phone = sees_full_phone(viewer)

        def phone(n: str) -> str:
            return n if full_phone else shown_phone(viewer, n) or ""

        contacts = [
            ContactPublic(
                name=shown_name(viewer, c.get("name") or ""),
                relation=c.get("relation"),
                phones=[phone(p) for p in c.get("phones") or []],
            )
            for c in case.contacts
        ]
        plain: dict[str, Any] = case.model_dump()
        plain.update(
            debtor_name=shown_name(viewer, case.debtor_name),
            id_number=shown_id_number(viewer, case.id_number),
            phone=shown_phone(viewer, case.phone),
            phones=[phone(p) for p in case.phones],
            contacts=contacts,
            bank_bucket=case.bucket,
            **past_due_today(case, today),
        )
        if not sees_full_id_number(viewer):
            plain.update(home_address=mask_address(case.home_address),
                         work_address=mask_address(case.work_address))  # fmt: skip
        return cls.model_validate(plain)


def past_due_today(case: Case, today: date) -> dict[str, Any]:
    first = first_overdue_day(case.overdue_since, case.days_past_due, case.days_past_due_on)
    if first is None:
        return {"days_past_due": None, "bucket": None}
    return {"days_past_due": days_past_due(first, today), "bucket": bucket_on(first, today)}


# --- a case's later word: recalls, adjustments, payments ----------------------------------


class RecallBody(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


def _amount_as_in_files(value: Any) -> Any:
    """Text amounts read as in case files: ``"1,234.50"``, ``"¥1234.5"``, ``"12元"``."""
    return parse_amount(value) if isinstance(value, str) else value


AMOUNT_FORMS = 'CNY; a number or text as in case files: "1234.50", "1,234.50", "¥1234.5", "12元"'
AMOUNT_TEXT = r"^(¥|￥|RMB|CNY)? ?([0-9]{1,3}(,[0-9]{3}){1,4}|[0-9]{1,15})(\.[0-9]{1,2})? ?元?$"
# The same forms with a digit other than 0 somewhere: more than zero.
POSITIVE_AMOUNT_TEXT = "^(?=.*[1-9])" + AMOUNT_TEXT[1:]


def _amount_schema(bound: str) -> WithJsonSchema:
    text = POSITIVE_AMOUNT_TEXT if bound == "exclusiveMinimum" else AMOUNT_TEXT
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", bound: 0, "maximum": 999999999999999, "multipleOf": 0.01},
                {"type": "string", "pattern": text},
            ],
            "description": AMOUNT_FORMS,
            "examples": ["1,234.50"],
        }
    )


BankAmount = Annotated[
    Decimal,
    BeforeValidator(_amount_as_in_files),
    Field(ge=0, max_digits=18, decimal_places=2),
    _amount_schema("minimum"),
]
PaidAmount = Annotated[
    Decimal,
    BeforeValidator(_amount_as_in_files),
    Field(gt=0, max_digits=18, decimal_places=2),
    _amount_schema("exclusiveMinimum"),
]


ADJUSTED = ("principal", "interest", "penalty", "fees", "total_owed")


class AdjustmentBody(BaseModel):
    """At least one amount; an amount left out stays as it is (``null`` is not an amount)."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": [name]} for name in ADJUSTED]}
    )

    principal: BankAmount = None  # type: ignore[assignment]
    interest: BankAmount = None  # type: ignore[assignment]
    penalty: BankAmount = None  # type: ignore[assignment]
    fees: BankAmount = None  # type: ignore[assignment]
    total_owed: BankAmount = Field(  # type: ignore[assignment]
        default=None, description="When left out, moves by the change in the parts"
    )


class PaymentBody(BaseModel):
    account_ref: Ref
    transaction_ref: Ref = Field(description="The bank's own reference; unique per client")
    amount: PaidAmount
    paid_at: datetime = Field(description="When the debtor paid (a zone offset is advised)")


class PaymentPublic(BaseModel):
    id: str
    client_id: str
    case_id: str
    account_ref: str
    transaction_ref: str
    amount: Decimal
    currency: str
    paid_at: UtcDatetime
    received_at: UtcDatetime
    source: str


class PaymentFileOutcome(BaseModel):
    rows_total: int
    recorded: int = Field(description="New payments, each published as PaymentReceived")
    repeated: int = Field(description="Reported before with the same details: nothing new")
    errors: list[dict[str, str | int]] = Field(description="Rows not recorded, with reasons")
