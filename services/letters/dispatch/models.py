"""A letter's mailing and its delivery outcome, with the deadline the delivery sets."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from services.letters.models import LettersTable, utc


class Dispatch(LettersTable, table=True):
    __tablename__ = "dispatches"

    letter_id: str = Field(primary_key=True, max_length=36)
    channel: str = Field(max_length=20)
    carrier: str = Field(max_length=64)
    tracking_number: str | None = Field(default=None, max_length=64)
    address: str | None = Field(default=None, max_length=500)
    mailed_on: date
    recorded_at: datetime = Field(sa_column=utc())
    recorded_by: str = Field(max_length=36)


class Delivery(LettersTable, table=True):
    __tablename__ = "deliveries"

    letter_id: str = Field(primary_key=True, max_length=36)
    outcome: str = Field(max_length=20)
    outcome_on: date
    recipient_fault: bool = False
    deadline_from: date | None = None
    deadline_on: date | None = None
    deadline_estimated: bool = False
    deadline_reason: str = Field(max_length=300)
    recorded_at: datetime = Field(sa_column=utc())
    recorded_by: str = Field(max_length=36)
