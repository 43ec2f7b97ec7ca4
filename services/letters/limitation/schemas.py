"""What the limitation routes take and give."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class StepPublic(BaseModel):
    on: date
    fact: str
    ref: str
    note: str
    effect: str
    ends_on: date


class LimitationPublic(BaseModel):
    case_id: str
    ends_on: date | None
    expired: bool
    days_left: int | None
    history: list[StepPublic]


class GuaranteeIn(BaseModel):
    guarantor_name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=500)
    starts_on: date
    ends_on: date | None = Field(default=None, description="Default: 6 months after starts_on")


class GuaranteePublic(GuaranteeIn):
    id: str
    source: str


class EndingCase(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    limitation_ends_on: date
    days_left: int
