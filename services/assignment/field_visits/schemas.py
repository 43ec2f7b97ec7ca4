"""What the field visits routes take and give."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field

from services.assignment.field_visits.domain import VisitStatus, is_overdue
from services.assignment.field_visits.models import FieldVisit
from shared.clock import UtcDatetime, as_utc

Text = Annotated[str, Field(min_length=1, max_length=300)]


class ListedVisit(BaseModel):
    case_id: str = Field(min_length=1, max_length=36)
    purpose: str = Field(default="", max_length=500)


class VisitList(BaseModel):
    field_collector_id: str = Field(min_length=1, max_length=36)
    visits: list[ListedVisit] = Field(min_length=1, max_length=200)


class VisitPlan(BaseModel):
    planned_for: datetime = Field(description="When the visit will be made (with offset)")
    place: Text
    people: Text = Field(description="Who goes, who will be seen")
    vehicle: str | None = Field(default=None, max_length=100)


class QuietHoursReason(BaseModel):
    planned_for: AwareDatetime = Field(description="The planned time inside quiet hours")
    reason: str = Field(min_length=1, max_length=500)


class DelayRequest(BaseModel):
    until: date = Field(description="The day the visit will be done by")
    reason: str = Field(min_length=1, max_length=1000)


class VisitResult(BaseModel):
    result: str = Field(min_length=1, max_length=2000)
    improper_conduct: str | None = Field(
        default=None, max_length=1000, description="Anything improper in the field visit"
    )


class VisitPublic(BaseModel):
    id: str
    case_id: str
    client_id: str
    list_date: date
    phone_collector_id: str
    field_collector_id: str
    supervisor_id: str | None
    purpose: str
    status: VisitStatus
    ordered_at: UtcDatetime
    due_by: UtcDatetime
    due_estimated: bool
    overdue: bool = Field(description="Not reported by its due time")
    planned_for: UtcDatetime | None
    place: str | None
    people: str | None
    vehicle: str | None
    plan_filed_at: UtcDatetime | None
    quiet_hours_allowed_for: UtcDatetime | None
    quiet_hours_reason: str | None = Field(description="The supervisor's, for a quiet-hours plan")
    quiet_hours_allowed_by: str | None
    reported_at: UtcDatetime | None
    found: str | None
    result: str | None
    improper_conduct: str | None
    completed_at: UtcDatetime | None
    signed_off_by: str | None
    signed_off_at: UtcDatetime | None

    @classmethod
    def of(cls, visit: FieldVisit, now: datetime) -> VisitPublic:
        overdue = is_overdue(VisitStatus(visit.status), as_utc(visit.due_by), now)
        return cls.model_validate({**visit.model_dump(), "overdue": overdue})


class Alert(BaseModel):
    kind: Literal["done", "overdue"]
    at: UtcDatetime = Field(description="When it was reported, or when it fell due")
    visit: VisitPublic
