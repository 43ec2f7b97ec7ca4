"""A case as the contact desk sees it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from shared.pastdue import Bucket


class ContactCasePublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    phone_count: int
    overdue_since: date | None = Field(description="The first overdue day (shared.pastdue)")
    days_past_due: int = Field(description="Today; 0 when the first overdue day is unknown")
    bucket: Bucket = Field(description="Today: M0, M1 (1–30 days) … M7+ (181 and more)")
