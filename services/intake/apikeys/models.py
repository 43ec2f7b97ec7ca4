"""A client's API key, kept as its hash."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.intake.models import IntakeTable, moment


class ApiKey(IntakeTable, table=True):
    """A client's API key: only its SHA-256 is kept; the key itself is shown once."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", index=True, max_length=64)
    prefix: str = Field(max_length=8)
    key_hash: str = Field(max_length=64, unique=True)
    label: str = Field(max_length=100)
    created_at: datetime = moment()
    revoked_at: datetime | None = moment(nullable=True)
    last_used_at: datetime | None = moment(nullable=True)
