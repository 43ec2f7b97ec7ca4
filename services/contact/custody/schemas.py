"""A branch's recordings custodian, the recordings waiting for backup, and a backup run's
report."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.clock import UtcDatetime


class CustodianBody(BaseModel):
    admin_id: str = Field(min_length=1, max_length=64, description="The admin named custodian")


class CustodianPublic(BaseModel):
    branch_id: str
    admin_id: str
    named_by: str
    named_at: UtcDatetime


class WaitingPublic(BaseModel):
    case_id: str
    sha256: str
    size: int
    uploaded_at: UtcDatetime
    branch_id: str | None


class BackupBody(BaseModel):
    branch_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class ItemPublic(BaseModel):
    case_id: str
    sha256: str
    outcome: str
    reason: str | None


class BackupPublic(BaseModel):
    id: str
    branch_id: str
    custodian_id: str
    trigger: str
    started_at: UtcDatetime
    finished_at: UtcDatetime
    backed_up: int
    failed: int
    items: list[ItemPublic] = []
