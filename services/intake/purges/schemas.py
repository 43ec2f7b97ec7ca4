"""A purge order as an admin sends it, and what it did here."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime


class PurgeOrder(BaseModel):
    reason: str = Field(
        min_length=3, max_length=2000, description="Why now, e.g. the retention period ended"
    )


class PurgeOrdered(BaseModel):
    purge_id: str
    client_id: str
    retention_until: date = Field(description="The latest agreement's end date + 5 years")
    ordered_by: str
    ordered_at: UtcDatetime
    removed_here: dict[str, int] = Field(
        description="What intake removed; the other services report at /admin/purges"
    )
