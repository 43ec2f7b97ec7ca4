"""A question to the contact rules before a call, and their answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from services.contact.attempts.domain import Channel, Direction, Party
from shared.clock import UtcDatetime


class ContactCheck(BaseModel):
    channel: Channel = "phone"
    party: Party = "debtor"
    direction: Direction = "outbound"
    used: str | None = Field(default=None, max_length=300, description="The number to dial")
    party_name: str | None = Field(default=None, max_length=100)


class RuleBlock(BaseModel):
    rule: str
    detail: str
    until: UtcDatetime | None


class ContactVerdict(BaseModel):
    allowed: bool
    profile: str
    disclosure: Literal["full", "location_only", "none"] = Field(
        description="location_only (profiles that allow location contact): a named contact "
        "may be asked where the debtor is, never told of the debt"
    )
    blocks: list[RuleBlock]
    next_allowed_at: UtcDatetime | None = Field(
        description="When no rule blocks any more; null if one lasts until someone lifts it"
    )
    suggested_call_at: UtcDatetime | None
    decision_id: str
    checked_at: UtcDatetime
