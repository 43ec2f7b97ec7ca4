"""What the workdays routes take and give."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class Day(BaseModel):
    day: date
    kind: Literal["holiday", "workday"] = Field(
        description="`holiday`: a day off; `workday`: a weekend day worked (调休)"
    )
    name: str = Field(default="", max_length=100)


class YearBody(BaseModel):
    days: list[Day] = Field(
        min_length=1,
        max_length=400,
        description="Days of the path's year, each listed once; at least one holiday",
        json_schema_extra={"contains": {"properties": {"kind": {"const": "holiday"}}}},
    )


class YearLoaded(BaseModel):
    year: int
    holidays: int
    workdays: int
    deadlines_recounted: int
