"""Each client's letterhead: the sender its letters show."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.letters.models import LettersTable, utc


class Letterhead(LettersTable, table=True):
    """What each client's letters show as sender: name, address, contact points, seal."""

    __tablename__ = "letterheads"

    client_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    address: str = Field(max_length=500)
    phone: str = Field(max_length=64)
    dispute_phone: str = Field(max_length=64)
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=200)
    payment_account: str | None = Field(default=None, max_length=500)
    seal_sha256: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_column=utc())
    updated_by: str = Field(max_length=36)
