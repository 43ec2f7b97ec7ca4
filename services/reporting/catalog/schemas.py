"""Case counts and the event tally as answered."""

from __future__ import annotations

from pydantic import BaseModel

from shared.clock import UtcDatetime


class ClientCaseCounts(BaseModel):
    client_id: str
    cases_imported: int
    cases_assigned: int


class EventTallyPublic(BaseModel):
    event_type: str
    count: int
    last_seen_at: UtcDatetime | None
