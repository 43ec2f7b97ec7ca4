"""What the blacklist routes take and give."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime


class BlacklistQuery(BaseModel):
    id_number: str = Field(
        min_length=6,
        max_length=32,
        pattern=r"^[0-9A-Za-z ]+$",
        description="The debtor's ID number (e.g. an 18-character resident ID); only its "
        "keyed hash is compared, it is neither kept nor logged",
    )


class BlacklistEntryPublic(BaseModel):
    client_id: str
    case_id: str
    outcome: str = Field(description="How the case was settled: `paid` or `settled`")
    days_overdue: int = Field(description="Days past due when it was settled")
    settled_at: UtcDatetime


class BlacklistAnswer(BaseModel):
    listed: bool
    entries: list[BlacklistEntryPublic]
