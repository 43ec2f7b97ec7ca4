"""The uploaded proof of a letter's mailing, delivery or acknowledgment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from services.letters.models import LettersTable, utc


class EvidenceFile(LettersTable, table=True):
    """An uploaded proof: the mailing stub, the delivery proof, a signed acknowledgment."""

    __tablename__ = "evidence_files"
    __table_args__ = (UniqueConstraint("letter_id", "kind", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: str = Field(index=True, max_length=36)
    kind: str = Field(max_length=30)
    sha256: str = Field(max_length=64)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size_bytes: int
    signed_on: date | None = None
    uploaded_at: datetime = Field(sa_column=utc())
    uploaded_by: str = Field(max_length=36)
