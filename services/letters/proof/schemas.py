"""An uploaded proof as the routes show it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from shared.clock import UtcDatetime


class EvidencePublic(BaseModel):
    kind: str
    sha256: str
    filename: str
    size_bytes: int
    signed_on: date | None
    uploaded_at: UtcDatetime
