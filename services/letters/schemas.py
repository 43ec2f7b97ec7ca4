"""The case as letters' routes show it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from shared.pastdue import Bucket


class LetterCasePublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None = Field(description="The collector holding it; not shown to banks")
    debtor_name: str | None = Field(
        default=None, description="As the bank sent it: the case's holder writes to this person"
    )
    total_owed: Decimal
    overdue_since: date | None = Field(description="The first overdue day (shared.pastdue)")
    days_past_due: int = Field(
        description="Today, as a letter issued today prints it; 0 when the first overdue "
        "day is unknown"
    )
    bucket: Bucket = Field(description="Today: M0, M1 (1–30 days) … M7+ (181 and more)")
    limitation_ends_on: date | None
