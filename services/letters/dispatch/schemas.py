"""What the dispatch and delivery routes take."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from services.letters.domain.deadlines import Outcome


class DispatchIn(BaseModel):
    channel: Literal["ems", "registered_mail", "courier", "fax", "email", "hand"]
    carrier: str = Field(max_length=64, description="e.g. 中国邮政 EMS, 顺丰")
    tracking_number: str | None = Field(default=None, max_length=64)
    address: str | None = Field(default=None, max_length=500)
    mailed_on: date


class DeliveryIn(BaseModel):
    outcome: Outcome
    outcome_on: date
    recipient_fault: bool = Field(
        default=False,
        description="Refused or undeliverable through the recipient's fault: the deadline "
        "then runs from the mailing date + 3 days",
    )
