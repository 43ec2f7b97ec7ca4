"""What the costs routes take and give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime
from shared.web.strict import decimal_text

CostKind = Literal["travel", "legal", "court", "postage", "other"]


class CostCreate(BaseModel):
    kind: CostKind = Field(description="travel, legal (fees), court (fees), postage or other")
    amount: decimal_text(digits=14, positive=True) = Field(  # type: ignore[valid-type]
        gt=0, max_digits=14, decimal_places=2, description="In yuan (CNY)"
    )
    incurred_on: date
    incurred_by: str | None = Field(
        default=None, max_length=36, description="The member of staff who spent it, if any"
    )
    note: str | None = Field(default=None, max_length=500)


class CostPublic(BaseModel):
    id: str
    case_id: str
    kind: str
    amount: Decimal
    currency: str
    incurred_on: date
    incurred_by: str | None
    note: str | None
    approved_by: str = Field(description="Who approved the cost (the one who recorded it)")
    recorded_at: UtcDatetime


class CaseCosts(BaseModel):
    total: Decimal
    items: list[CostPublic]
