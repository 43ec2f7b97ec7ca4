"""Contact's tables: its own copy of each case and who works it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base

ContactTable = service_model_base("Contact")
BUS = bus_tables(ContactTable.metadata)
SECURITY = security_tables(ContactTable.metadata)


class ContactCase(ContactTable, table=True):
    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, index=True, max_length=36)
    phone_count: int = 0
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
