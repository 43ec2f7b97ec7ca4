"""The escalation ladder configured per product type."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field

from services.assignment.models import AssignmentTable

ANY_PRODUCT = "*"


class StrategyLadder(AssignmentTable, table=True):
    """One product's ladder (``*``: products without their own): steps of day, action,
    channel."""

    __tablename__ = "strategy_ladders"

    product_type: str = Field(primary_key=True, max_length=64)
    steps: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    updated_by: str = Field(max_length=36)
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
