"""A case as shown (masked by role), and the bank's later word on it: a recall, a
balance adjustment; amounts in the forms case files use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from services.intake.case_files.parsing.values import parse_amount
from services.intake.cases.domain import past_due_today
from services.intake.cases.models import Case
from services.intake.cases.pii import shown_id_number, shown_name, shown_phone
from shared.auth.policy import sees_full_id_number, sees_full_phone
from shared.auth.principal import Principal
from shared.clock import UtcDatetime
from shared.logging import mask_address
from shared.pastdue import Bucket


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


class RecallBody(BaseModel):
    reason: str | None = Field(default=None, max_length=500)


def amount_as_in_files(value: Any) -> Any:
    """Text amounts read as in case files: ``"1,234.50"``, ``"¥1234.5"``, ``"12元"``."""
    return parse_amount(value) if isinstance(value, str) else value


AMOUNT_FORMS = 'CNY; a number or text as in case files: "1234.50", "1,234.50", "¥1234.5", "12元"'
AMOUNT_TEXT = r"^(¥|￥|RMB|CNY)? ?([0-9]{1,3}(,[0-9]{3}){1,4}|[0-9]{1,15})(\.[0-9]{1,2})? ?元?$"
# The same forms with a digit other than 0 somewhere: more than zero.
POSITIVE_AMOUNT_TEXT = "^(?=.*[1-9])" + AMOUNT_TEXT[1:]


def amount_schema(bound: str) -> WithJsonSchema:
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
    BeforeValidator(amount_as_in_files),
    Field(ge=0, max_digits=18, decimal_places=2),
    amount_schema("minimum"),
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
