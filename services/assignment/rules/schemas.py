"""What the rules routes take and give."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from services.assignment.teams.schemas import CODE
from shared.clock import UtcDatetime
from shared.web.strict import decimal_text

Amount = Annotated[decimal_text(digits=14), Field(ge=0, max_digits=14, decimal_places=2)]


class RuleBody(BaseModel):
    """Conditions left out match anything; the amount band is ``min_amount <= owed <
    max_amount``. Rules are tried by ``position``, lowest first; the first match wins."""

    name: str = Field(min_length=1, max_length=100)
    team_id: str = Field(pattern=CODE)
    position: int | None = Field(default=None, ge=0, le=1_000_000, description="Default: last")
    client_id: str | None = Field(default=None, max_length=64)
    product_type: str | None = Field(default=None, max_length=64)
    bucket: str | None = Field(default=None, max_length=32)
    region: str | None = Field(default=None, max_length=64)
    dialect: str | None = Field(default=None, max_length=32, description="Collectors must speak it")
    min_amount: Amount | None = None
    max_amount: Amount | None = Field(
        default=None, description="Above min_amount when both are given (else 422)"
    )
    enabled: bool = True

    @model_validator(mode="after")
    def _band(self) -> RuleBody:
        if (
            self.min_amount is not None
            and self.max_amount is not None
            and self.min_amount >= self.max_amount
        ):
            raise ValueError("min_amount must be below max_amount")
        return self


class RulePublic(RuleBody):
    id: str
    position: int
    updated_at: UtcDatetime
