"""A payment the client reported."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from services.intake.models import IntakeTable, moment, money


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
    amount: Decimal = money()
    currency: str = Field(default="CNY", max_length=3)
    paid_at: datetime = moment()
    received_at: datetime = moment()
    source: str = Field(max_length=20)
