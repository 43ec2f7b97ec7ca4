"""A dispute as shown, and a supervisor's resolution of one."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from shared.clock import UtcDatetime


class DisputePublic(BaseModel):
    id: str
    kind: str
    reason: str
    evidence: str | None
    attempt_id: str | None
    raised_at: UtcDatetime
    resolved_at: UtcDatetime | None
    outcome: str | None
    resolution: str | None
    resolution_evidence: str | None
    resolved_by: str | None


class DisputeResolution(BaseModel):
    outcome: Literal["upheld", "rejected", "withdrawn"] = Field(
        description="upheld: the debtor was right; rejected: the debt stands; withdrawn by the "
        "debtor"
    )
    resolution: str = Field(min_length=1, max_length=500, description="What was decided, why")
    evidence: str | None = Field(
        default=None,
        max_length=500,
        description="What the decision rests on (documents, statements); needed unless withdrawn",
    )

    @model_validator(mode="after")
    def _evidenced(self) -> DisputeResolution:
        if self.outcome != "withdrawn" and not (self.evidence or "").strip():
            raise ValueError("an upheld or rejected dispute needs the evidence it rests on")
        return self
