"""What the teams and staff routes take and give."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from services.assignment.models import StaffStatus, Team
from shared.web.strict import decimal_text, whole_number

CODE = r"^[A-Za-z0-9_.-]{1,64}$"
Tag = Annotated[str, Field(min_length=1, max_length=64)]
Tags = Annotated[list[Tag], Field(max_length=50)]
Quota = Annotated[decimal_text(digits=14), Field(ge=0, max_digits=14, decimal_places=2)]


LEAD = "A team lead's staff id (404 if it names nobody, 409 if not a team lead)"
SUPERVISOR = "A supervisor's staff id (404 if it names nobody, 409 if not a supervisor)"


class TeamCreate(BaseModel):
    id: str = Field(pattern=CODE, description="The team's code, e.g. SH-PHONE-1")
    name: str = Field(min_length=1, max_length=100)
    branch_id: str | None = Field(default=None, max_length=64)
    lead_id: str | None = Field(default=None, max_length=36, description=LEAD)
    supervisor_id: str | None = Field(default=None, max_length=36, description=SUPERVISOR)


class TeamUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    branch_id: str | None = Field(default=None, max_length=64)
    lead_id: str | None = Field(default=None, max_length=36, description=LEAD)
    supervisor_id: str | None = Field(default=None, max_length=36, description=SUPERVISOR)


class TeamPublic(BaseModel):
    id: str
    name: str
    branch_id: str | None
    lead_id: str | None
    supervisor_id: str | None

    @classmethod
    def of(cls, team: Team) -> TeamPublic:
        return cls.model_validate(team, from_attributes=True)


class CollectorProfile(BaseModel):
    """What placement needs to know about a collector; empty skill lists mean any."""

    regions: Tags | None = Field(default=None, description="Regions served, e.g. 上海")
    product_types: Tags | None = None
    buckets: Tags | None = Field(default=None, description="Days-past-due buckets, e.g. M1")
    dialects: Tags | None = None
    capacity: whole_number(ge=0, le=100_000) | None = Field(  # type: ignore[valid-type]
        default=None, description="Max open cases"
    )
    monthly_quota: Quota | None = Field(default=None, description="Recovery target, CNY")


class StaffUpdate(CollectorProfile):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    team_id: str | None = Field(default=None, pattern=CODE)
    branch_id: str | None = Field(default=None, max_length=64)
    status: StaffStatus | None = None
