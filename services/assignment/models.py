"""Assignment's tables: staff (collectors among them), its copy of cases, who holds which."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base

AssignmentTable = service_model_base("Assignment")
BUS = bus_tables(AssignmentTable.metadata)
SECURITY = security_tables(AssignmentTable.metadata)


class Staff(AssignmentTable, table=True):
    """A member of staff with their own login; collectors are staff with a collector role."""

    __tablename__ = "staff"

    id: str = Field(primary_key=True, max_length=36)
    username: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=100)
    role: str = Field(max_length=32, index=True)
    team_id: str | None = Field(default=None, max_length=64)
    branch_id: str | None = Field(default=None, max_length=64)
    active: bool = True
    password_hash: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AssignedCase(AssignmentTable, table=True):
    """Assignment's own copy of a case, fed by intake's events."""

    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, foreign_key="staff.id", index=True)
    imported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    assigned_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class RoundRobinCursor(AssignmentTable, table=True):
    """Who got the last case, so the next goes to the one after."""

    __tablename__ = "round_robin_cursor"

    pool: str = Field(primary_key=True, max_length=32)
    last_collector_id: str | None = Field(default=None, max_length=36)
