"""Assignment's tables: collectors, its copy of cases, and who holds which case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field

from shared.bus.tables import bus_tables
from shared.db import service_model_base

AssignmentTable = service_model_base("Assignment")
BUS = bus_tables(AssignmentTable.metadata)


class Collector(AssignmentTable, table=True):
    __tablename__ = "collectors"

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=100)
    role: str = Field(default="phone_collector", max_length=32)
    team_id: str | None = Field(default=None, max_length=64)
    branch_id: str | None = Field(default=None, max_length=64)
    active: bool = True
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AssignedCase(AssignmentTable, table=True):
    """Assignment's own copy of a case, fed by intake's events."""

    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, foreign_key="collectors.id", index=True)
    imported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    assigned_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class RoundRobinCursor(AssignmentTable, table=True):
    """Who got the last case, so the next goes to the one after."""

    __tablename__ = "round_robin_cursor"

    pool: str = Field(primary_key=True, max_length=32)
    last_collector_id: str | None = Field(default=None, max_length=36)
