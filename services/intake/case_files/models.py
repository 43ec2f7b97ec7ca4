"""A case file received (a batch) and the findings on its rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, Index, UniqueConstraint, text
from sqlmodel import Field

from services.intake.models import IntakeTable, moment


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
    received_at: datetime = moment()
    started_at: datetime | None = moment(nullable=True)
    completed_at: datetime | None = moment(nullable=True)
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
