"""What the strategy routes take and give."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, field_validator

from services.assignment.models import AssignedCase
from services.assignment.strategy.domain import (
    APPROVAL_FOR_TREATMENT,
    Action,
    Channel,
    DebtorType,
    Situation,
    Step,
    Treatment,
    check_ladder,
)
from shared.clock import UtcDatetime, to_local
from shared.pastdue import Bucket, bucket_on, days_past_due


class StepBody(BaseModel):
    day: int = Field(ge=0, le=3650, description="Days past due, 0 = the first overdue day")
    action: Action
    channel: Channel


class LadderBody(BaseModel):
    steps: list[StepBody] = Field(
        min_length=1, max_length=60, description="Each on a day of its own (else 422)"
    )

    @field_validator("steps")
    @classmethod
    def _distinct_days(cls, steps: list[StepBody]) -> list[StepBody]:
        check_ladder([Step(s.day, s.action, s.channel) for s in steps])
        return steps


class LadderPublic(LadderBody):
    product_type: str = Field(description="`*`: products without a ladder of their own")


class CaseStrategy(BaseModel):
    case_id: str
    overdue_since: str | None = Field(description="The first overdue day (shared.pastdue)")
    days_past_due: int = Field(description="Today; 0 when the first overdue day is unknown")
    bucket: Bucket = Field(description="Today: M0, M1 (1–30 days) … M7+ (181 and more)")
    next_action: str | None
    next_channel: str | None
    next_action_due: UtcDatetime | None
    debtor_type: DebtorType | None
    situation: Situation | None
    treatment: Treatment | None
    treatment_needs_approval: str | None = Field(
        description="The approval kind the treatment needs before it is worked, if any"
    )
    extended_until: date | None = Field(description="Collection extended to (approved)")

    @classmethod
    def of(cls, case: AssignedCase, now: datetime) -> CaseStrategy:
        treatment = Treatment(case.treatment) if case.treatment else None
        today = to_local(now).date()
        return cls(
            case_id=case.id,
            overdue_since=case.overdue_since.isoformat() if case.overdue_since else None,
            days_past_due=days_past_due(case.overdue_since, today),
            bucket=bucket_on(case.overdue_since, today),
            next_action=case.next_action,
            next_channel=case.next_channel,
            next_action_due=case.next_action_due,
            debtor_type=DebtorType(case.debtor_type) if case.debtor_type else None,
            situation=Situation(case.situation) if case.situation else None,
            treatment=treatment,
            treatment_needs_approval=APPROVAL_FOR_TREATMENT[treatment] if treatment else None,
            extended_until=case.extended_until,
        )


class DebtorAssessment(BaseModel):
    debtor_type: DebtorType | None = Field(
        default=None,
        description="first_time → SMS/landline; habitual → fax, visit, "
        "outsourcing; bad_faith → legal",
    )
    situation: Situation | None = Field(
        default=None,
        description="Chooses the treatment: good_finances → press_for_cash, "
        "poor_with_prospects → secured_arrangement, poor_and_failing → settlement_in_kind, "
        "malicious → litigation",
    )
