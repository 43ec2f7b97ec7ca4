"""A case file's batch as shown: state, progress, row counts, the 2-hour entry clock."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from services.intake.case_files import domain
from services.intake.case_files.models import ImportBatch
from shared.clock import UtcDatetime


class BatchPublic(BaseModel):
    id: str
    client_id: str
    agreement_id: str | None
    filename: str
    sha256: str
    size_bytes: int
    all_or_nothing: bool
    strict: bool = Field(description="The agreement asked for strict validation")
    as_of: date | None = Field(
        description="The day the bank extracted the file: the as_of form field, else its "
        "first row's as-of column; null when neither was given"
    )
    offline_incident_id: str | None = Field(
        default=None,
        description="Offline intake: the data-transfer-failure incident the file came in for",
    )
    state: str = Field(description="received, running, completed or failed")
    failure: str | None = Field(description="Why the batch failed, when it did")
    received_at: UtcDatetime
    started_at: UtcDatetime | None
    completed_at: UtcDatetime | None
    rows_total: int
    rows_processed: int
    rows_imported: int = Field(description="New cases")
    rows_updated: int = Field(description="Existing cases the file changed")
    rows_unchanged: int = Field(description="Existing cases the file carried unchanged")
    rows_rejected: int = Field(description="Rows with an error: not imported")
    rows_with_warnings: int = Field(
        description="Rows imported with warnings (a field left empty or unverified)"
    )
    progress: float = Field(description="0..1 while running; 1 when done")
    entry_seconds: float | None = Field(description="completed_at - received_at")
    entry_overdue: bool = Field(description="Entry took (or is taking) more than 2 hours")
    errors_url: str
    url: str

    @classmethod
    def of(cls, batch: ImportBatch, now: datetime) -> BatchPublic:
        url = f"/clients/{batch.client_id}/case-files/{batch.id}"
        clock = domain.progress_of(
            done=batch.state in ("completed", "failed"),
            bytes_read=batch.bytes_read,
            size_bytes=batch.size_bytes,
            passes=2 if batch.all_or_nothing else 1,
            received_at=batch.received_at,
            completed_at=batch.completed_at,
            now=now,
        )
        return cls.model_validate(
            {**batch.model_dump(), **clock, "url": url, "errors_url": f"{url}/errors.csv"}
        )
