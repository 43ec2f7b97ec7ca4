"""A recording as shown: its hash, format and size, who uploaded it, what it records."""

from __future__ import annotations

from pydantic import BaseModel

from shared.clock import UtcDatetime


class RecordingPublic(BaseModel):
    sha256: str
    format: str
    size: int
    uploaded_by: str
    uploaded_at: UtcDatetime
    attempt_id: str | None
    visit_id: str | None
