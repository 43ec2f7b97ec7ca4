"""Intake's tables: case files received and cases as the bank sent them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Numeric, UniqueConstraint
from sqlmodel import Field

from shared.bus.tables import bus_tables
from shared.db import service_model_base

IntakeTable = service_model_base("Intake")
BUS = bus_tables(IntakeTable.metadata)


class ImportBatch(IntakeTable, table=True):
    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("client_id", "sha256", name="uq_batch_client_sha"),)

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    size_bytes: int
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    completed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    state: str = Field(max_length=20)
    rows_total: int = 0
    rows_imported: int = 0
    rows_updated: int = 0
    rows_rejected: int = 0


class Case(IntakeTable, table=True):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("client_id", "account_ref", name="uq_case_client_account"),)

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(max_length=64)
    account_ref: str = Field(max_length=64)
    batch_id: str = Field(foreign_key="import_batches.id", max_length=36)
    debtor_name: str = Field(max_length=100)
    id_number: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=32)
    total_owed: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    overdue_since: str | None = Field(default=None, max_length=10)
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
