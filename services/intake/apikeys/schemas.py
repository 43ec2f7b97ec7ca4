"""An API key as asked for, shown and made (once, with its secret); a bank token."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.intake.apikeys.models import ApiKey
from shared.clock import UtcDatetime


class ApiKeyCreate(BaseModel):
    label: str = Field(
        min_length=1, max_length=100, description="What the key is for, e.g. 'nightly upload'"
    )


class ApiKeyPublic(BaseModel):
    id: str
    client_id: str
    prefix: str = Field(description="The 8 characters after `ck_`; the rest is never shown")
    label: str
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None
    last_used_at: UtcDatetime | None = Field(description="Updated at most once a minute")

    @classmethod
    def of(cls, api_key: ApiKey) -> ApiKeyPublic:
        return cls.model_validate(api_key, from_attributes=True)


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself: shown this once, never stored or shown again")


class BankToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires")
    client_id: str
