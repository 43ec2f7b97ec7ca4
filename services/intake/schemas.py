"""What intake answers with: batches and cases (masked by role)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from services.intake.models import Case, ImportBatch
from services.intake.pii import mask_id_number, mask_phone, shown_id_number, shown_name, shown_phone
from services.intake.pipeline import describe
from shared.auth.policy import sees_full_id_number, sees_full_phone
from shared.auth.principal import Principal
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
    as_of: date | None = Field(description="The as_of form field, when sent")
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
        return cls.model_validate(
            {
                **batch.model_dump(),
                **describe(batch, now),
                "url": url,
                "errors_url": f"{url}/errors.csv",
            }
        )


class ContactPublic(BaseModel):
    name: str
    relation: str | None = None
    phones: list[str] = []


class CasePublic(BaseModel):
    id: str
    client_id: str
    agreement_id: str | None = None
    account_ref: str
    batch_id: str
    state: str = Field(default="active", description="active or recalled")
    product_type: str | None = None
    debtor_name: str = Field(description="Masked (surname only) for roles that do not need it")
    id_number: str | None = Field(
        description="Full for the bank and admins/HQ, else masked: 110101********1234"
    )
    phone: str | None = Field(description="Full for those who dial it, else masked")
    phones: list[str] = []
    home_address: str | None = None
    work_address: str | None = None
    employer: str | None = None
    contacts: list[ContactPublic] = []
    principal: Decimal = Decimal("0")
    interest: Decimal = Decimal("0")
    penalty: Decimal = Decimal("0")
    fees: Decimal = Decimal("0")
    total_owed: Decimal
    overdue_since: date | None
    days_past_due: int | None = None
    bucket: str | None = None
    branch: str | None = None
    notes: str | None = None
    received_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    recalled_at: UtcDatetime | None = None

    @classmethod
    def of(cls, case: Case, viewer: Principal) -> CasePublic:
        full_phone = sees_full_phone(viewer)

        def phone(n: str) -> str:
            return n if full_phone else mask_phone(n) or ""

        contacts = [
            ContactPublic(
                name=shown_name(viewer, c.get("name") or ""),
                relation=c.get("relation"),
                phones=[phone(p) for p in c.get("phones") or []],
            )
            for c in case.contacts
        ]
        plain: dict[str, Any] = case.model_dump()
        plain.update(
            debtor_name=shown_name(viewer, case.debtor_name),
            id_number=shown_id_number(viewer, case.id_number),
            phone=shown_phone(viewer, case.phone),
            phones=[phone(p) for p in case.phones],
            contacts=contacts,
        )
        if not sees_full_id_number(viewer):
            plain.update(home_address=_masked(case.home_address),
                         work_address=_masked(case.work_address))  # fmt: skip
        return cls.model_validate(plain)


def _masked(address: str | None) -> str | None:
    """An address keeps its first few characters (the city), the rest is hidden."""
    if not address:
        return address
    return address[:6] + "*" * max(0, len(address) - 6)


__all__ = ["BatchPublic", "CasePublic", "mask_id_number"]
