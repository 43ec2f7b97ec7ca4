"""Intake's tables: clients and their API keys, case files received, cases as the bank sent them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Numeric, UniqueConstraint
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base

IntakeTable = service_model_base("Intake")
BUS = bus_tables(IntakeTable.metadata)
SECURITY = security_tables(IntakeTable.metadata)

CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
CLIENT_KINDS = ("bank", "creditor")


class Client(IntakeTable, table=True):
    """A bank or other creditor that sends us cases; ``id`` is its code, e.g. ``ICBC-SH``."""

    __tablename__ = "clients"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    active: bool = True


class ApiKey(IntakeTable, table=True):
    """A client's API key: only its SHA-256 is kept; the key itself is shown once."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", index=True, max_length=64)
    prefix: str = Field(max_length=8)
    key_hash: str = Field(max_length=64, unique=True)
    label: str = Field(max_length=100)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_used_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class ImportBatch(IntakeTable, table=True):
    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("client_id", "sha256", name="uq_batch_client_sha"),)

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", index=True, max_length=64)
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
    client_id: str = Field(foreign_key="clients.id", max_length=64)
    account_ref: str = Field(max_length=64)
    batch_id: str = Field(foreign_key="import_batches.id", max_length=36)
    debtor_name: str = Field(max_length=100)
    id_number: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=32)
    total_owed: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    overdue_since: str | None = Field(default=None, max_length=10)
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
