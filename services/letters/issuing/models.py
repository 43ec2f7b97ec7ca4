"""An issued letter, kept as its exact bytes' hash and the inputs it was rendered from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from services.letters.models import LettersTable, utc


class Letter(LettersTable, table=True):
    """An issued letter: immutable once written (its PDF bytes are kept by hash)."""

    __tablename__ = "letters"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    client_id: str = Field(max_length=64)
    kind: str = Field(max_length=40)
    template_version: int
    recipient_party: str = Field(max_length=20)
    recipient_name: str = Field(max_length=200)
    recipient_address: str | None = Field(default=None, max_length=500)
    inputs: str = Field(sa_column=Column(Text, nullable=False))
    content_sha256: str = Field(max_length=64)
    size_bytes: int
    issued_at: datetime = Field(sa_column=utc())
    issued_by: str = Field(max_length=36)
    issued_why: str = Field(max_length=40)
