"""A cooperation agreement (合作协议) with a client."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, UniqueConstraint
from sqlmodel import Field

from services.intake.models import IntakeTable, json_of, moment, money
from shared.money import Rate


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
    product_types: list[str] = json_of([])
    commission_rate: Decimal = Field(sa_column=Column(Rate(), nullable=False))
    bucket_rates: dict[str, str] = json_of({})
    reconciliation_day: int
    recovery_target: Decimal = money()
    regular_channel: dict[str, str] = json_of({})
    emergency_channel: dict[str, str] = json_of({})
    column_mapping: dict[str, str] = json_of({})
    strict: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    outsourcing_needs_approval: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, default=False)
    )
    created_at: datetime = moment()
    updated_at: datetime = moment()
