"""A phone or address as the desk adds or changes it, and as shown (a phone masked for
those who may not see it in full)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from services.contact.attempts.domain import Party
from services.contact.details.domain import DetailKind
from services.contact.details.models import ContactDetail
from shared.auth.policy import sees_full_phone
from shared.auth.principal import Principal
from shared.clock import UtcDatetime
from shared.logging import mask_phone


class DetailCreate(BaseModel):
    party: Party = "debtor"
    party_name: str | None = Field(default=None, max_length=100)
    kind: DetailKind
    value: str = Field(min_length=3, max_length=300, description="The number or the address")
    label: Literal["mobile", "home", "work", "other"] | None = None
    source: Literal["debtor", "skip_tracing"] = Field(
        description="skip_tracing: found by 失联修复; debtor: given by the debtor"
    )
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _named(self) -> DetailCreate:
        if self.party == "contact" and not (self.party_name or "").strip():
            raise ValueError("a contact's detail names the contact: give party_name")
        self.value = self.value.strip()
        return self


class DetailChange(BaseModel):
    status: Literal["valid", "invalid"] = Field(
        description="invalid bars a phone number for the contact rules; valid lifts that"
    )
    note: str | None = Field(default=None, max_length=500)


class DetailPublic(BaseModel):
    id: str
    party: str
    party_name: str | None
    kind: str
    label: str | None
    value: str
    status: str
    source: str
    note: str | None
    added_by: str | None
    added_at: UtcDatetime
    changed_at: UtcDatetime

    @classmethod
    def shown_to(cls, principal: Principal, detail: ContactDetail) -> DetailPublic:
        public = cls.model_validate(detail, from_attributes=True)
        if detail.kind == "phone" and not sees_full_phone(principal):
            public.value = mask_phone(public.value) or ""
        return public
