"""A submission as asked for and as answered, and its reviews."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime
from shared.web.strict import ReportDay


class SubmissionIn(BaseModel):
    report: Literal["collector_weekly", "collector_monthly", "branch_monthly"]
    on: ReportDay = Field(
        description="Any day of the period (Shanghai)", ge=date(1990, 1, 1), le=date(2099, 12, 31)
    )
    remarks: str = Field(
        default="", max_length=4000, description="Remarks; for extensions the next steps"
    )


class ReviewIn(BaseModel):
    note: str = Field(default="", max_length=2000)


class ReviewOut(BaseModel):
    reviewer_id: str
    reviewer_role: str
    decision: str
    note: str
    at: UtcDatetime


class SubmissionListed(BaseModel):
    """A submission as a list shows it: without its snapshot and reviews."""

    submission_id: str
    report: str
    period: str
    subject_id: str
    submitted_by: str
    submitted_at: UtcDatetime
    remarks: str
    status: str
    version: int


class SubmissionOut(SubmissionListed):
    body_sha256: str
    snapshot: dict[str, Any]
    reviews: list[ReviewOut]
