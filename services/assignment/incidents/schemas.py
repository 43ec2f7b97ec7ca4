"""What the incidents routes take and give."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.assignment.incidents.domain import NAMES_CLIENTS, Entry, Kind
from services.assignment.incidents.models import Incident
from shared.clock import UtcDatetime

Text = Field(min_length=1, max_length=2000)


NAMING_CLIENTS = sorted(kind.value for kind in NAMES_CLIENTS)


class IncidentBody(BaseModel):
    """Force majeure and a debtor acting against the client name at least one client (the
    document's ``anyOf``); the time it happened is not after now."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"kind": {"not": {"enum": NAMING_CLIENTS}}}},
                {"required": ["client_ids"], "properties": {"client_ids": {"minItems": 1}}},
            ]
        }
    )

    kind: Kind
    what: str = Text
    occurred_at: AwareDatetime | None = Field(
        default=None, description="Default: now; not later than now (else 422)"
    )
    case_id: str | None = Field(default=None, max_length=36)
    client_ids: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Clients whose cases it touches; force majeure and a debtor acting "
        "against the client need one. They are told over their emergency channel",
    )
    branch_id: str | None = Field(default=None, max_length=64)


class EmergencyBody(BaseModel):
    what: str = Text
    occurred_at: AwareDatetime | None = Field(
        default=None, description="Default: now; not later than now (else 422)"
    )


class EntryBody(BaseModel):
    """``told`` names whom (the document's ``anyOf``)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"entry": {"not": {"const": Entry.TOLD.value}}}},
                {"required": ["whom"], "properties": {"whom": {"type": "string", "minLength": 1}}},
            ]
        }
    )

    entry: Entry
    note: str = Text
    at: AwareDatetime | None = Field(
        default=None,
        description="Default: now; not later than now (else 422), not before the incident "
        "happened (else 409)",
    )
    whom: str | None = Field(default=None, max_length=100, description="For `told`: who")
    restore_from_backup: bool = Field(
        default=False, description="A restore from backup (HQ approves and supervises it)"
    )


class Resolution(BaseModel):
    resolution: str = Text
    outcome: str = Field(min_length=1, max_length=500)


class EntryPublic(BaseModel):
    entry: str
    at: UtcDatetime
    by: str
    whom: str | None
    note: str
    restore_from_backup: bool


class IncidentPublic(BaseModel):
    id: str
    kind: str
    what: str
    status: Literal["open", "resolved"]
    case_id: str | None
    client_ids: list[str]
    branch_id: str | None
    team_id: str | None
    visit_id: str | None
    raised_by: str
    raised_by_role: str
    occurred_at: UtcDatetime
    raised_at: UtcDatetime
    supervisor_id: str | None
    supervisor_told_at: UtcDatetime | None
    resolved_at: UtcDatetime | None
    resolution: str | None
    outcome: str | None
    log: list[EntryPublic] = []

    @classmethod
    def of(cls, incident: Incident, log: list[EntryPublic] | None = None) -> IncidentPublic:
        return cls(**incident.model_dump(exclude={"resolved_by"}), log=log or [])
