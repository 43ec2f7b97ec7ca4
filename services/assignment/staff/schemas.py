"""What the staff routes take and give."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from services.assignment.models import Staff
from services.assignment.teams.schemas import CODE, CollectorProfile
from shared.auth.principal import Role
from shared.clock import UtcDatetime


class StaffCreate(CollectorProfile):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    name: str = Field(min_length=1, max_length=100)
    role: Role
    password: str = Field(min_length=10, max_length=200)
    team_id: str | None = Field(default=None, pattern=CODE)
    branch_id: str | None = Field(default=None, max_length=64)


class StaffPublic(BaseModel):
    id: str
    username: str
    name: str
    role: Role
    team_id: str | None
    branch_id: str | None
    active: bool
    status: str
    regions: list[str]
    product_types: list[str]
    buckets: list[str]
    dialects: list[str]
    capacity: int
    open_cases: int
    monthly_quota: Decimal | None
    created_at: UtcDatetime

    @classmethod
    def of(cls, member: Staff) -> StaffPublic:
        return cls.model_validate(member, from_attributes=True)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    id: str
    role: Role | None
    team_id: str | None
    branch_id: str | None
