"""What the letterhead routes take and give."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime


class LetterheadIn(BaseModel):
    name: str = Field(max_length=200, description="The creditor as letters name it")
    address: str = Field(max_length=500)
    phone: str = Field(max_length=64)
    dispute_phone: str = Field(max_length=64, description="Where debtors check and dispute")
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=200)
    payment_account: str | None = Field(default=None, max_length=500)


class LetterheadPublic(LetterheadIn):
    client_id: str
    seal_sha256: str | None
    updated_at: UtcDatetime
    updated_by: str
