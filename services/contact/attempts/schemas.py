"""What a collector sends to log an attempt, and what they get back."""

from __future__ import annotations

from datetime import date

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from services.contact.attempts.domain import ArrearsReason, Channel, Direction, Outcome, Party
from shared.clock import UtcDatetime
from shared.web.strict import decimal_text

Text200 = Field(default=None, max_length=200)

PositiveAmount = decimal_text(digits=16, positive=True)


class AlreadyPaid(BaseModel):
    paid_on: date
    amount: PositiveAmount = Field(gt=0, max_digits=16, decimal_places=2)
    bank: str = Field(min_length=1, max_length=100)
    payee: str = Field(min_length=1, max_length=100)
    slip_ref: str | None = Field(default=None, max_length=200, description="The transfer slip")


class AttemptCreate(BaseModel):
    channel: Channel
    direction: Direction = "outbound"
    party: Party
    party_name: str | None = Field(
        default=None, max_length=100, description="Required for a contact: as named on the case"
    )
    used: str | None = Field(
        default=None, max_length=300, description="The number dialled or the address used"
    )
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    outcome: Outcome
    notes: str | None = Field(default=None, max_length=4000)
    arrears_reason: ArrearsReason | None = None
    excuse: str | None = Field(default=None, max_length=500)
    next_action: str | None = Text200
    next_action_at: AwareDatetime | None = None
    late_reason: str | None = Field(
        default=None, max_length=500, description="Why a late first attempt was late"
    )
    override_reason: str | None = Field(
        default=None,
        max_length=500,
        description="A supervisor's reason to log an attempt the contact rules block",
    )
    late_entry_reason: str | None = Field(
        default=None,
        max_length=500,
        description="Why the attempt is logged long after `started_at` (a late entry: "
        "flagged for the supervisor)",
    )
    already_paid: AlreadyPaid | None = None
    dispute_reason: str | None = Field(default=None, max_length=500)
    police_report_ref: str | None = Field(
        default=None, max_length=200, description="The police report receipt (fraud claims)"
    )
    recording_sha256: str | None = Field(
        default=None,
        pattern="^[0-9a-f]{64}$",
        description="The call's recording, uploaded first to POST /cases/{id}/recordings",
    )

    @model_validator(mode="after")
    def _consistent(self) -> AttemptCreate:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        if self.party == "contact" and not (self.party_name or "").strip():
            raise ValueError("a contact is named: give party_name")
        if self.outcome == "already_paid" and self.already_paid is None:
            raise ValueError("'already paid' needs already_paid: date, amount, bank, payee")
        if self.outcome == "fraud_claimed" and not self.police_report_ref:
            raise ValueError("a fraud or stolen-card claim needs police_report_ref")
        if self.outcome == "dispute" and not self.dispute_reason:
            raise ValueError("a dispute needs dispute_reason")
        if (self.next_action is None) != (self.next_action_at is None):
            raise ValueError("next_action and next_action_at go together")
        return self


class AttemptPublic(BaseModel):
    id: str
    case_id: str
    collector_id: str
    channel: str
    direction: str
    party: str
    party_name: str | None
    used: str | None
    started_at: UtcDatetime
    ended_at: UtcDatetime | None
    outcome: str
    conversation: bool
    notes: str | None
    arrears_reason: str | None
    excuse: str | None
    next_action: str | None
    next_action_at: UtcDatetime | None
    first_attempt: bool
    first_contact_late: bool
    late_reason: str | None
    overridden_rules: str | None
    override_reason: str | None
    logged_at: UtcDatetime
    late_entry: bool
    late_entry_reason: str | None
    recording_sha256: str | None


class FollowUpPublic(BaseModel):
    id: str
    kind: str
    due_at: UtcDatetime
    due_estimated: bool
    status: str
    detail: str | None
    attempt_id: str
