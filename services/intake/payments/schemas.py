"""A payment as reported (alone or as a file) and as shown."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from services.intake.cases.schemas import amount_as_in_files, amount_schema
from shared.clock import UtcDatetime
from shared.web.strict import NOT_BLANK

Ref = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=NOT_BLANK)
]
PaidAmount = Annotated[
    Decimal,
    BeforeValidator(amount_as_in_files),
    Field(gt=0, max_digits=18, decimal_places=2),
    amount_schema("exclusiveMinimum"),
]


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
