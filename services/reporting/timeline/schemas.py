"""A timeline entry as answered."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from shared.clock import UtcDatetime


class TimelineEntry(BaseModel):
    event_id: str
    event_type: str
    at: UtcDatetime
    detail: dict[str, Any]
