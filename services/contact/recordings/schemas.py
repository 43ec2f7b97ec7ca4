"""A recording as shown (its hash, format and size, who uploaded it, what it records), and
the answers an upload may get."""

from __future__ import annotations

from pydantic import BaseModel

from shared.clock import UtcDatetime
from shared.errors import Problem


class RecordingPublic(BaseModel):
    sha256: str
    format: str
    size: int
    uploaded_by: str
    uploaded_at: UtcDatetime
    attempt_id: str | None
    visit_id: str | None


UPLOAD_ANSWERS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem},
    413: {"model": Problem, "description": "Larger than the recording limit"},
    415: {"model": Problem, "description": "Not wav, mp3, m4a or amr by its content"},
}
