"""A rebuild's progress as answered."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RebuildStatusOut(BaseModel):
    state: str
    started_at: datetime | None
    finished_at: datetime | None
    events: int
    error: str | None
    topics: list[str]
