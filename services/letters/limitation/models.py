"""Guarantee periods and the facts that start or move a case's limitation clock."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from services.letters.models import LettersTable, utc


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
