"""A client: a bank or other creditor that sends us cases."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.intake.models import IntakeTable, moment


class Client(IntakeTable, table=True):
    """A bank or other creditor that sends us cases; ``id`` is its code, e.g. ``ICBC-SH``."""

    __tablename__ = "clients"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    created_at: datetime = moment()
    active: bool = True
