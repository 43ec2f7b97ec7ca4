"""Intake's tables: clients, their API keys and agreements, case files received (with their
rejected rows), cases as the bank sent them, and the payments the bank reported."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Index, UniqueConstraint, text
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.money import Money, Rate
from shared.purge.runs import purge_runs_table

IntakeTable = service_model_base("Intake")
BUS = bus_tables(IntakeTable.metadata)
SECURITY = security_tables(IntakeTable.metadata)
PURGE_RUNS = purge_runs_table(IntakeTable.metadata)

CLIENT_KINDS = ("bank", "creditor")


def _when(nullable: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(DateTime(timezone=True), nullable=nullable),
    )


def _money(nullable: bool = False) -> Any:
    return Field(
        default=None if nullable else Decimal("0"),
        sa_column=Column(Money(), nullable=nullable),
    )


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: type(default)(), sa_column=Column(JSON, nullable=False))


class Client(IntakeTable, table=True):
    """A bank or other creditor that sends us cases; ``id`` is its code, e.g. ``ICBC-SH``."""

    __tablename__ = "clients"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    created_at: datetime = _when()
    active: bool = True


class ApiKey(IntakeTable, table=True):
    """A client's API key: only its SHA-256 is kept; the key itself is shown once."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", index=True, max_length=64)
    prefix: str = Field(max_length=8)
    key_hash: str = Field(max_length=64, unique=True)
    label: str = Field(max_length=100)
    created_at: datetime = _when()
    revoked_at: datetime | None = _when(nullable=True)
    last_used_at: datetime | None = _when(nullable=True)


class Agreement(IntakeTable, table=True):
    """A cooperation agreement (合作协议) with a client; its end date drives retention."""

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("client_id", "number", name="uq_agreement_client_number"),)

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", index=True, max_length=64)
    number: str = Field(max_length=64)
    status: str = Field(max_length=20)
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    product_types: list[str] = _json([])
    commission_rate: Decimal = Field(sa_column=Column(Rate(), nullable=False))
    bucket_rates: dict[str, str] = _json({})
    reconciliation_day: int
    recovery_target: Decimal = _money()
    regular_channel: dict[str, str] = _json({})
    emergency_channel: dict[str, str] = _json({})
    column_mapping: dict[str, str] = _json({})
    strict: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    outsourcing_needs_approval: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, default=False)
    )
    created_at: datetime = _when()
    updated_at: datetime = _when()


class ImportBatch(IntakeTable, table=True):
    """One case file received. A file that failed whole does not block posting it again."""

    __tablename__ = "import_batches"
    __table_args__ = (
        Index(
            "uq_batch_client_sha",
            "client_id",
            "sha256",
            unique=True,
            sqlite_where=text("state != 'failed'"),
            postgresql_where=text("state != 'failed'"),
        ),
        UniqueConstraint("client_id", "idempotency_key", name="uq_batch_client_idem_key"),
    )

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", index=True, max_length=64)
    agreement_id: str | None = Field(default=None, foreign_key="agreements.id", max_length=36)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    size_bytes: int
    idempotency_key: str | None = Field(default=None, max_length=200)
    all_or_nothing: bool = False
    strict: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    as_of: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    offline_incident_id: str | None = Field(
        default=None, max_length=36, description="Carried in after a failed data transfer"
    )
    bank_row_header: str | None = Field(default=None, max_length=200)
    received_at: datetime = _when()
    started_at: datetime | None = _when(nullable=True)
    completed_at: datetime | None = _when(nullable=True)
    state: str = Field(max_length=20)
    failure: str | None = Field(default=None, max_length=500)
    rows_processed: int = 0
    rows_total: int = 0
    rows_imported: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    rows_with_warnings: int = 0
    bytes_read: int = 0


class BatchError(IntakeTable, table=True):
    """A finding on a row (or a problem with the whole file, row 0): file line, the bank's
    own row number, severity (an error rejected the row, a warning did not), column, value,
    reason."""

    __tablename__ = "batch_errors"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(foreign_key="import_batches.id", index=True, max_length=36)
    row: int
    bank_row: str | None = Field(default=None, max_length=64)
    severity: str = Field(default="error", max_length=10)
    column: str = Field(max_length=200)
    value: str = Field(max_length=500)
    reason: str = Field(max_length=500)


class Case(IntakeTable, table=True):
    """A case as the client sent it (and adjusted it since); ``state`` is active or recalled."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("client_id", "account_ref", name="uq_case_client_account"),)

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", max_length=64)
    agreement_id: str | None = Field(default=None, foreign_key="agreements.id", max_length=36)
    account_ref: str = Field(max_length=64)
    batch_id: str = Field(foreign_key="import_batches.id", max_length=36)
    last_batch_id: str | None = Field(default=None, max_length=36)
    state: str = Field(default="active", max_length=20)
    product_type: str | None = Field(default=None, max_length=64)
    debtor_name: str = Field(max_length=100)
    id_type: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=32)
    phones: list[str] = _json([])
    home_address: str | None = Field(default=None, max_length=500)
    work_address: str | None = Field(default=None, max_length=500)
    employer: str | None = Field(default=None, max_length=200)
    contacts: list[dict[str, Any]] = _json([])
    principal: Decimal = _money()
    interest: Decimal = _money()
    penalty: Decimal = _money()
    fees: Decimal = _money()
    total_owed: Decimal = _money()
    currency: str = Field(default="CNY", max_length=3)
    overdue_since: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    days_past_due: int | None = None
    days_past_due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    bucket: str | None = Field(default=None, max_length=32)  # the bank's label
    branch: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=2000)
    received_at: datetime = _when()
    updated_at: datetime | None = _when(nullable=True)
    recalled_at: datetime | None = _when(nullable=True)
    recall_reason: str | None = Field(default=None, max_length=500)

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None


class Payment(IntakeTable, table=True):
    """A payment the client reported; its transaction reference is unique per client."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("client_id", "transaction_ref", name="uq_payment_client_txn"),
    )

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(foreign_key="clients.id", max_length=64)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=36)
    account_ref: str = Field(max_length=64)
    transaction_ref: str = Field(max_length=64)
    amount: Decimal = _money()
    currency: str = Field(default="CNY", max_length=3)
    paid_at: datetime = _when()
    received_at: datetime = _when()
    source: str = Field(max_length=20)
