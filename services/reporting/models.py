"""Reporting's read models: rebuilt at will from the topics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base

ReportingTable = service_model_base("Reporting")
BUS = bus_tables(ReportingTable.metadata)
SECURITY = security_tables(ReportingTable.metadata)


class CaseFact(ReportingTable, table=True):
    """One row per case: what reporting has learnt about it so far."""

    __tablename__ = "case_facts"

    case_id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    imported_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    assigned_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    collector_id: str | None = Field(default=None, max_length=36)


class EventTally(ReportingTable, table=True):
    __tablename__ = "event_tally"

    event_type: str = Field(primary_key=True, max_length=64)
    count: int = 0
    last_seen_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
