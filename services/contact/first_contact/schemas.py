"""The first-contact clock as a supervisor reads it."""

from __future__ import annotations

from pydantic import BaseModel

from shared.clock import UtcDatetime


class FirstContactSummary(BaseModel):
    as_of: UtcDatetime
    first_attempts: int
    late_first_attempts: int
    overdue_without_attempt: int
    overdue_case_ids: list[str]
