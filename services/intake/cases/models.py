"""A case as the client sent it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, UniqueConstraint
from sqlmodel import Field

from services.intake.models import IntakeTable, json_of, moment, money


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
    phones: list[str] = json_of([])
    home_address: str | None = Field(default=None, max_length=500)
    work_address: str | None = Field(default=None, max_length=500)
    employer: str | None = Field(default=None, max_length=200)
    contacts: list[dict[str, Any]] = json_of([])
    principal: Decimal = money()
    interest: Decimal = money()
    penalty: Decimal = money()
    fees: Decimal = money()
    total_owed: Decimal = money()
    currency: str = Field(default="CNY", max_length=3)
    overdue_since: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    days_past_due: int | None = None
    days_past_due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    bucket: str | None = Field(default=None, max_length=32)  # the bank's label
    branch: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=2000)
    received_at: datetime = moment()
    updated_at: datetime | None = moment(nullable=True)
    recalled_at: datetime | None = moment(nullable=True)
    recall_reason: str | None = Field(default=None, max_length=500)

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None
