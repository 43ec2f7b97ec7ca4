"""What the approvals routes take and give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from services.assignment.approvals.domain import Kind, Status
from services.assignment.approvals.models import Approval
from shared.clock import UtcDatetime
from shared.web.strict import decimal_text

Money = Annotated[
    decimal_text(digits=14, positive=True), Field(gt=0, max_digits=14, decimal_places=2)
]


RequestKind = Annotated[
    Kind,
    Field(description="Visit delays and agency placements are asked through their own routes"),
]


class ApprovalBody(BaseModel):
    kind: RequestKind
    reason: str = Field(min_length=1, max_length=1000)
    next_steps: str | None = Field(
        default=None, max_length=1000, description="Required for a month-end extension"
    )
    amount: Money | None = Field(default=None, description="For a waiver: the amount waived")
    until: date | None = Field(default=None, description="For an extension: extended until")


class Decision(BaseModel):
    note: str | None = Field(default=None, max_length=1000)


class Rejection(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


class ApprovalPublic(BaseModel):
    id: str
    case_id: str
    client_id: str
    kind: str
    status: Status
    reason: str
    next_steps: str | None
    amount: Decimal | None
    until: date | None
    visit_id: str | None
    requested_by: str
    requested_at: UtcDatetime
    decided_by: str | None
    decided_at: UtcDatetime | None
    decision_note: str | None

    @classmethod
    def of(cls, approval: Approval) -> ApprovalPublic:
        return cls.model_validate(approval, from_attributes=True)
