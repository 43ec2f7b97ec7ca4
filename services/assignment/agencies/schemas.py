"""What the agencies routes take and give."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.assignment.agencies import service
from services.assignment.agencies.models import Agency
from shared.clock import UtcDatetime
from shared.web.strict import decimal_text

Rate = decimal_text(places=4, at_most_one=True)


class AgencyBody(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    commission_rate: Rate = Field(description="The agency's share of what it recovers, 0 to 1")
    term_days: int = Field(ge=1, le=3660, description="How long a placement lasts")
    active: bool = True


class AgencyPublic(AgencyBody):
    id: str
    team_id: str = Field(description="Add the agency's users as collectors in this team")
    created_at: UtcDatetime

    @classmethod
    def of(cls, a: Agency) -> AgencyPublic:
        return cls(id=a.id, team_id=a.id, name=a.name, commission_rate=Decimal(a.commission_rate),
                   term_days=a.term_days, active=a.active, created_at=a.created_at)  # fmt: skip


BY_RULE = ("bucket", "product_type", "region")


class PlacementBody(BaseModel):
    """By hand (``case_ids``, at least one) or by rule (one or more of ``bucket``,
    ``product_type``, ``region``), exactly one of the two: the document's ``oneOf``."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["case_ids"], "properties": {"case_ids": {"minItems": 1}}},
                {"anyOf": [{"required": [name]} for name in BY_RULE]},
            ]
        }
    )

    reason: str = Field(min_length=1, max_length=300)
    case_ids: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list, max_length=service.MOST_AT_ONCE, description="By hand"
    )
    # Left out, not null: a rule's condition is named or absent.
    bucket: str = Field(default=None, max_length=32, description="By rule")  # type: ignore[assignment]
    product_type: str = Field(default=None, max_length=64, description="By rule")  # type: ignore[assignment]
    region: str = Field(default=None, max_length=64, description="By rule")  # type: ignore[assignment]
    limit: int = Field(default=100, ge=1, le=service.MOST_AT_ONCE)

    @model_validator(mode="after")
    def _one_way(self) -> PlacementBody:
        by_rule = any(v is not None for v in (self.bucket, self.product_type, self.region))
        if bool(self.case_ids) == by_rule:
            raise ValueError("name case_ids (by hand) or bucket/product_type/region (by rule)")
        return self


class RecallBody(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


PlacementStatus = Literal["waiting", "placed", "rejected", "recalled"]


class PlacementPublic(BaseModel):
    id: str
    case_id: str
    agency_id: str
    collector_id: str | None = Field(description="The agency collector holding the case")
    previous_collector_id: str | None
    placed_by: str
    placed_at: UtcDatetime = Field(description="When it was placed (asked, while it waits)")
    until: UtcDatetime = Field(description="Term end (counted from the grant once granted)")
    status: PlacementStatus
    approval_id: str | None = Field(
        description="The approval it waits for (or waited for) where the agreement requires one"
    )
    recalled_at: UtcDatetime | None
    recalled_by: str | None
    recall_reason: str | None
