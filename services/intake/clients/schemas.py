"""A client as registered and as shown."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from services.intake.clients.models import Client
from shared.auth.web import CLIENT_ID_PATTERN
from shared.clock import UtcDatetime


class ClientCreate(BaseModel):
    id: str = Field(pattern=CLIENT_ID_PATTERN, description="The client's code, e.g. ICBC-SH")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["bank", "creditor"] = Field(
        default="bank", description="A bank, or another creditor"
    )


class ClientPublic(BaseModel):
    id: str
    name: str
    kind: str
    active: bool
    created_at: UtcDatetime

    @classmethod
    def of(cls, client: Client) -> ClientPublic:
        return cls.model_validate(client, from_attributes=True)
