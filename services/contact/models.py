"""Contact's own copy of each case: who works it, where the debtor lives (for their local
time), whom the case names, and the case's contact standing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, String, Text, text
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.purge.runs import purge_runs_table
from shared.workdays.tables import workday_table

ContactTable = service_model_base("Contact")
BUS = bus_tables(ContactTable.metadata)
SECURITY = security_tables(ContactTable.metadata)
PURGE_RUNS = purge_runs_table(ContactTable.metadata)
WORKDAYS = workday_table(ContactTable.metadata)


def utc_column(*, nullable: bool = False, index: bool = False) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable, index=index)


class ContactCase(ContactTable, table=True):
    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, index=True, max_length=36)
    collector_since: datetime | None = Field(
        default=None,
        sa_column=utc_column(nullable=True),
        description="When the case reached its current collector (assigned or reassigned)",
    )
    phone_count: int = 0
    received_at: datetime = Field(sa_column=utc_column())
    account_ref: str | None = Field(default=None, max_length=64)
    product_type: str | None = Field(default=None, max_length=64)
    timezone: str | None = Field(default=None, max_length=64)
    # The first overdue day by shared.pastdue (the bank's date, else implied by its days).
    overdue_since: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    named_contacts: str = Field(
        default="[]", sa_column=Column(Text, nullable=False, server_default=text("'[]'"))
    )
    status: str = Field(
        default="active",
        sa_column=Column(String(20), nullable=False, server_default=text("'active'")),
    )
    cease_requested_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    first_contact_due_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    first_attempt_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    first_attempt_late: bool | None = None
    debtor_key: str | None = Field(
        default=None, index=True, max_length=64, description="SHA-256 of the debtor's ID number"
    )
