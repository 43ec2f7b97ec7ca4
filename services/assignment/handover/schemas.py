"""What the handover routes take and give."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime

StaffId = Annotated[str, Field(min_length=1, max_length=36)]


class HandoverBody(BaseModel):
    from_collector_id: StaffId
    reason: Literal["left", "on_leave"] = Field(description="The collector's status after it")
    notes: str = Field(default="", max_length=2000)
    successor_ids: list[StaffId] = Field(
        default_factory=list,
        max_length=50,
        description="Named successors: phone collectors take the cases (empty: every case "
        "goes back through the rules); a field collector takes open visit orders",
    )


class HandedCase(BaseModel):
    case_id: str
    to_collector_id: str | None
    queued_reason: str | None = Field(description="Why nobody took it (it waits in the queue)")


class HandoverPublic(BaseModel):
    id: str
    from_collector_id: str
    reason: str
    notes: str
    supervised_by: str | None = Field(description="The team lead supervising the handover")
    by_staff_id: str
    team_id: str | None
    at: UtcDatetime
    moved: int
    queued: int
    visits_moved: int = Field(description="A field collector's open visit orders handed over")
    cases: list[HandedCase]
