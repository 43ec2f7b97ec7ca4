"""Intake's table base, the bus, security and purge tables every service keeps, and the
column shapes its features' tables share; each feature keeps its own tables beside it
(clients, apikeys, agreements, case_files, cases, payments, emergency)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, DateTime
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.money import Money
from shared.purge.runs import purge_runs_table

IntakeTable = service_model_base("Intake")
BUS = bus_tables(IntakeTable.metadata)
SECURITY = security_tables(IntakeTable.metadata)
PURGE_RUNS = purge_runs_table(IntakeTable.metadata)


def moment(nullable: bool = False) -> Any:
    """A moment with its zone (UTC); required unless ``nullable``."""
    return Field(
        default=None if nullable else ...,
        sa_column=Column(DateTime(timezone=True), nullable=nullable),
    )


def money(nullable: bool = False) -> Any:
    return Field(
        default=None if nullable else Decimal("0"),
        sa_column=Column(Money(), nullable=nullable),
    )


def json_of(default: Any) -> Any:
    """A JSON column starting as an empty value of ``default``'s type."""
    return Field(default_factory=lambda: type(default)(), sa_column=Column(JSON, nullable=False))
