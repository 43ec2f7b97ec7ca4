"""Assignment's tables: staff (collectors among them), teams, rules, its copy of cases,
who holds which and how each got it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer
from sqlmodel import Field

from shared.auth.tables import security_tables
from shared.bus.tables import bus_tables
from shared.db import service_model_base
from shared.money import Money
from shared.purge.runs import purge_runs_table
from shared.workdays.tables import workday_table

AssignmentTable = service_model_base("Assignment")
BUS = bus_tables(AssignmentTable.metadata)
SECURITY = security_tables(AssignmentTable.metadata)
PURGE_RUNS = purge_runs_table(AssignmentTable.metadata)
WORKDAYS = workday_table(AssignmentTable.metadata)
DEFAULT_CAPACITY = 300


class StaffStatus(StrEnum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"


def _tags() -> Column[list[str]]:
    return Column(JSON, nullable=False, default=list)


class Staff(AssignmentTable, table=True):
    """A member of staff with their own login; collectors are staff with a collector role."""

    __tablename__ = "staff"

    id: str = Field(primary_key=True, max_length=36)
    username: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=100)
    role: str = Field(max_length=32, index=True)
    team_id: str | None = Field(default=None, max_length=64)
    branch_id: str | None = Field(default=None, max_length=64)
    active: bool = True
    password_hash: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(default=StaffStatus.ACTIVE.value, max_length=16)
    regions: list[str] = Field(default_factory=list, sa_column=_tags())
    product_types: list[str] = Field(default_factory=list, sa_column=_tags())
    buckets: list[str] = Field(default_factory=list, sa_column=_tags())
    dialects: list[str] = Field(default_factory=list, sa_column=_tags())
    capacity: int = DEFAULT_CAPACITY
    monthly_quota: Decimal | None = Field(default=None, sa_column=Column(Money()))
    open_cases: int = 0
    last_pick: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


class Team(AssignmentTable, table=True):
    """A team of collectors with its lead (组长) and supervisor (主管)."""

    __tablename__ = "teams"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    branch_id: str | None = Field(default=None, max_length=64)
    lead_id: str | None = Field(default=None, max_length=36)
    supervisor_id: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AssignmentRule(AssignmentTable, table=True):
    """Routes a case to a team when every condition it names matches; the lowest
    position that matches wins."""

    __tablename__ = "assignment_rules"

    id: str = Field(primary_key=True, max_length=36)
    position: int = Field(index=True)
    name: str = Field(max_length=100)
    team_id: str = Field(max_length=64)
    client_id: str | None = Field(default=None, max_length=64)
    product_type: str | None = Field(default=None, max_length=64)
    bucket: str | None = Field(default=None, max_length=32)
    region: str | None = Field(default=None, max_length=64)
    dialect: str | None = Field(default=None, max_length=32)
    min_amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    max_amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    enabled: bool = True
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class AssignedCase(AssignmentTable, table=True):
    """Assignment's own copy of a case, fed by intake's events."""

    __tablename__ = "cases"
    # One index serves both "whose cases" and the work queue's order (fewer indexes to
    # keep up while placing cases by the thousand).
    __table_args__ = (Index("ix_cases_queue_collector", "collector_id", "next_action_due", "id"),)

    id: str = Field(primary_key=True, max_length=36)
    client_id: str = Field(index=True, max_length=64)
    agreement_id: str | None = Field(default=None, max_length=64)
    collector_id: str | None = Field(default=None, foreign_key="staff.id")
    imported_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    assigned_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    product_type: str | None = Field(default=None, max_length=64)
    bucket: str | None = Field(default=None, max_length=32)
    region: str | None = Field(default=None, max_length=64)
    amount: Decimal | None = Field(default=None, sa_column=Column(Money()))
    team_id: str | None = Field(default=None, max_length=64)
    entered_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    assign_due_by: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True, index=True)
    )
    due_estimated: bool = False
    assign_clock_from: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=True),
        description="When the 1-business-day clock started if not at entry (back in the queue)",
    )
    waiting_reason: str | None = Field(default=None, max_length=200)
    timezone: str | None = Field(
        default=None, max_length=64, description="The debtor's zone, from their address"
    )
    closed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    close_outcome: str | None = Field(default=None, max_length=16)
    close_reason: str | None = Field(default=None, max_length=500)
    # strategy: the ladder's next action, the debtor's type and the treatment chosen
    overdue_since: date | None = None
    next_action: str | None = Field(default=None, max_length=24)
    next_channel: str | None = Field(default=None, max_length=16)
    next_action_due: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    debtor_type: str | None = Field(default=None, max_length=16)
    situation: str | None = Field(default=None, max_length=24)
    treatment: str | None = Field(default=None, max_length=24)
    treatment_by: str | None = Field(default=None, max_length=36)
    treatment_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    extended_until: date | None = Field(default=None, description="Approved month-end extension")
    # how a newly received case joins the ladder: first contact, then its entry step
    first_contact_due: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    first_contact_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    entry_step_done_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class AssignmentRecord(AssignmentTable, table=True):
    """One change of hands: who gave the case to whom, when, why, by rule or by hand."""

    __tablename__ = "assignment_history"
    __table_args__ = (Index("ix_assignment_history_case", "case_id", "id"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    case_id: str = Field(max_length=36)
    from_collector_id: str | None = Field(default=None, max_length=36)
    to_collector_id: str = Field(max_length=36)
    team_id: str | None = Field(default=None, max_length=64)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    how: str = Field(max_length=8)
    rule_id: str | None = Field(default=None, max_length=36)
    by_staff_id: str | None = Field(default=None, max_length=36)
    reason: str = Field(max_length=500)


class RoundRobinCursor(AssignmentTable, table=True):
    """Who got the last case, so the next goes to the one after."""

    __tablename__ = "round_robin_cursor"

    pool: str = Field(primary_key=True, max_length=32)
    last_collector_id: str | None = Field(default=None, max_length=36)
