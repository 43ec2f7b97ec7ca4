"""Letters' tables: its copy of each case, the letters it issued and their proof, the
clients' letterheads, guarantees and the facts that move each case's limitation clock."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.money import Money
from shared.purge.runs import purge_runs_table
from shared.workdays.tables import workday_table

LettersTable = service_model_base("Letters")
BUS = bus_tables(LettersTable.metadata)
SECURITY = security_tables(LettersTable.metadata)
PURGE_RUNS = purge_runs_table(LettersTable.metadata)
WORKDAYS = workday_table(LettersTable.metadata)


def money(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(Money(), nullable=nullable)


def utc(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=nullable)


class LetterCase(LettersTable, table=True):
    __tablename__ = "cases"

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    collector_id: str | None = Field(default=None, index=True, max_length=36)
    total_owed: Decimal = Field(sa_column=money())
    overdue_since: date | None = None
    received_at: datetime = Field(sa_column=utc())
    account_ref: str | None = Field(default=None, max_length=64)
    product_type: str | None = Field(default=None, max_length=64)
    debtor_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    principal: Decimal | None = Field(default=None, sa_column=money(True))
    interest: Decimal | None = Field(default=None, sa_column=money(True))
    penalty: Decimal | None = Field(default=None, sa_column=money(True))
    fees: Decimal | None = Field(default=None, sa_column=money(True))
    last_paid_at: datetime | None = Field(default=None, sa_column=utc(True))
    limitation_ends_on: date | None = Field(default=None, index=True)


class Letterhead(LettersTable, table=True):
    """What each client's letters show as sender: name, address, contact points, seal."""

    __tablename__ = "letterheads"

    client_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    address: str = Field(max_length=500)
    phone: str = Field(max_length=64)
    dispute_phone: str = Field(max_length=64)
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=200)
    payment_account: str | None = Field(default=None, max_length=500)
    seal_sha256: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_column=utc())
    updated_by: str = Field(max_length=36)


class Letter(LettersTable, table=True):
    """An issued letter: immutable once written (its PDF bytes are kept by hash)."""

    __tablename__ = "letters"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    client_id: str = Field(max_length=64)
    kind: str = Field(max_length=40)
    template_version: int
    recipient_party: str = Field(max_length=20)
    recipient_name: str = Field(max_length=200)
    recipient_address: str | None = Field(default=None, max_length=500)
    inputs: str = Field(sa_column=Column(Text, nullable=False))
    content_sha256: str = Field(max_length=64)
    size_bytes: int
    issued_at: datetime = Field(sa_column=utc())
    issued_by: str = Field(max_length=36)
    issued_why: str = Field(max_length=40)


class Dispatch(LettersTable, table=True):
    __tablename__ = "dispatches"

    letter_id: str = Field(primary_key=True, max_length=36)
    channel: str = Field(max_length=20)
    carrier: str = Field(max_length=64)
    tracking_number: str | None = Field(default=None, max_length=64)
    address: str | None = Field(default=None, max_length=500)
    mailed_on: date
    recorded_at: datetime = Field(sa_column=utc())
    recorded_by: str = Field(max_length=36)


class Delivery(LettersTable, table=True):
    __tablename__ = "deliveries"

    letter_id: str = Field(primary_key=True, max_length=36)
    outcome: str = Field(max_length=20)
    outcome_on: date
    recipient_fault: bool = False
    deadline_from: date | None = None
    deadline_on: date | None = None
    deadline_estimated: bool = False
    deadline_reason: str = Field(max_length=300)
    recorded_at: datetime = Field(sa_column=utc())
    recorded_by: str = Field(max_length=36)


class EvidenceFile(LettersTable, table=True):
    """An uploaded proof: the mailing stub, the delivery proof, a signed acknowledgment."""

    __tablename__ = "evidence_files"
    __table_args__ = (UniqueConstraint("letter_id", "kind", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: str = Field(index=True, max_length=36)
    kind: str = Field(max_length=30)
    sha256: str = Field(max_length=64)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size_bytes: int
    signed_on: date | None = None
    uploaded_at: datetime = Field(sa_column=utc())
    uploaded_by: str = Field(max_length=36)


class Guarantee(LettersTable, table=True):
    __tablename__ = "guarantees"

    id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(index=True, max_length=36)
    guarantor_name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=500)
    starts_on: date
    ends_on: date
    source: str = Field(max_length=20)


class LimitationFact(LettersTable, table=True):
    """One fact that starts or moves a case's limitation clock."""

    __tablename__ = "limitation_facts"
    __table_args__ = (UniqueConstraint("case_id", "kind", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(index=True, max_length=36)
    on: date
    kind: str = Field(max_length=30)
    ref: str = Field(max_length=64)
    note: str = Field(default="", max_length=300)
    recorded_at: datetime = Field(sa_column=utc())
