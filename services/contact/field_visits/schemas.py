"""A visit report as the field collector files it, and a visit as shown."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from services.contact.attempts.domain import Outcome, Party
from shared.clock import UtcDatetime


class VisitReport(BaseModel):
    visited_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    place: str = Field(min_length=1, max_length=300, description="Where: the address visited")
    party: Party = Field(default="debtor", description="Whom the visit was for")
    party_name: str | None = Field(default=None, max_length=100)
    people_met: str | None = Field(
        default=None, max_length=300, description="Who was met (the debtor, family, nobody …)"
    )
    outcome: Outcome
    found: str = Field(min_length=1, max_length=4000, description="What was found")
    recording_sha256: str | None = Field(
        default=None,
        pattern="^[0-9a-f]{64}$",
        description="Uploaded first to POST /field-visits/{visit_id}/recordings",
    )

    @model_validator(mode="after")
    def _consistent(self) -> VisitReport:
        if self.ended_at is not None and self.ended_at < self.visited_at:
            raise ValueError("ended_at is before visited_at")
        if self.party == "contact" and not (self.party_name or "").strip():
            raise ValueError("a contact is named: give party_name")
        return self


class VisitPublic(BaseModel):
    id: str
    case_id: str
    field_collector_id: str
    ordered_by: str
    due_by: UtcDatetime
    due_estimated: bool
    ordered_at: UtcDatetime
    status: str
    visited_at: UtcDatetime | None
    place: str | None
    people_met: str | None
    found: str | None
    outcome: str | None
    recording_sha256: str | None
    attempt_id: str | None
    rule_breaches: str | None = Field(
        description="Contact rules the visit broke (kept, not refused: it happened)"
    )
    reported_at: UtcDatetime | None
