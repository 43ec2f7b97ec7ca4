"""What the placing routes take and give."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime


class WaitingCase(BaseModel):
    case_id: str
    client_id: str
    team_id: str | None = Field(description="The team a rule routed it to, if any")
    reason: str | None
    entered_at: UtcDatetime | None
    assign_due_by: UtcDatetime | None
    due_estimated: bool
    past_due: bool


class Queue(BaseModel):
    waiting: int
    waiting_past_due: int
    assigned_late: int = Field(description="Cases assigned after their 1-business-day clock")
    items: list[WaitingCase]


class HandAssignment(BaseModel):
    collector_id: str = Field(min_length=1, max_length=36)
    reason: str = Field(min_length=1, max_length=500)


class AssignmentEntry(BaseModel):
    from_collector_id: str | None
    to_collector_id: str
    team_id: str | None
    at: UtcDatetime
    how: str = Field(description="`rule` or `hand`")
    rule_id: str | None
    by_staff_id: str | None
    reason: str


class AssignmentPublic(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    assigned_at: UtcDatetime | None
    closed_at: UtcDatetime | None = None
    close_outcome: str | None = Field(
        default=None, description="paid, settled, recalled, written_off or legal, once closed"
    )
    close_reason: str | None = None
