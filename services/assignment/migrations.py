from alembic.operations import Operations
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    Numeric,
    String,
    inspect,
    text,
)

from services.assignment.blacklist.models import BlacklistEntry
from services.assignment.closing.models import CaseBalance
from services.assignment.costs.models import CaseCost
from services.assignment.models import DEFAULT_CAPACITY, AssignmentTable
from shared.db import Migration, add_missing_columns, create_tables

_NONE = text("'[]'")


def _teams_rules_and_calendar(op: Operations) -> None:
    add_missing_columns(
        op,
        "staff",
        Column("status", String(16), nullable=False, server_default=text("'active'")),
        *(Column(name, JSON, nullable=False, server_default=_NONE) for name in _SKILLS),
        Column("capacity", Integer, nullable=False, server_default=text(str(DEFAULT_CAPACITY))),
        Column("monthly_quota", Numeric(16, 2), nullable=True),
        Column("open_cases", Integer, nullable=False, server_default=text("0")),
        Column("last_pick", BigInteger, nullable=False, server_default=text("0")),
    )
    add_missing_columns(
        op,
        "cases",
        Column("product_type", String(64), nullable=True),
        Column("bucket", String(32), nullable=True),
        Column("region", String(64), nullable=True),
        Column("amount", Numeric(16, 2), nullable=True),
        Column("team_id", String(64), nullable=True),
        Column("entered_at", DateTime(timezone=True), nullable=True),
        Column("assign_due_by", DateTime(timezone=True), nullable=True),
        Column("due_estimated", Boolean, nullable=False, server_default=text("false")),
        Column("waiting_reason", String(200), nullable=True),
    )
    op.execute(
        "UPDATE staff SET open_cases = "
        "(SELECT COUNT(*) FROM cases WHERE cases.collector_id = staff.id)"
    )
    if "ix_cases_assign_due_by" not in _indexes(op, "cases"):
        op.create_index("ix_cases_assign_due_by", "cases", ["assign_due_by"])
    create_tables(
        AssignmentTable.metadata,
        "teams",
        "assignment_rules",
        "assignment_history",
        "workday_calendar",
    )(op)


_SKILLS = ("regions", "product_types", "buckets", "dialects")


def _closure_blacklist_costs(op: Operations) -> None:
    add_missing_columns(
        op,
        "cases",
        Column("closed_at", DateTime(timezone=True), nullable=True),
        Column("close_outcome", String(16), nullable=True),
        Column("close_reason", String(500), nullable=True),
    )
    create_tables(
        AssignmentTable.metadata,
        "revoked_bank_keys",
        CaseBalance.__tablename__,
        BlacklistEntry.__tablename__,
        CaseCost.__tablename__,
    )(op)
    # Cases known before: what they owed at import; payments from now on count against it.
    op.execute(
        "INSERT INTO case_balances (case_id, client_id, owed, paid, updated_at) "
        "SELECT id, client_id, amount, 0, imported_at FROM cases "
        "WHERE amount IS NOT NULL AND id NOT IN (SELECT case_id FROM case_balances)"
    )


def _indexes(op: Operations, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(op.get_bind()).get_indexes(table)}


MIGRATIONS = [
    Migration(
        1,
        "bus, security, staff, cases, round-robin cursor",
        create_tables(
            AssignmentTable.metadata,
            "outbox",
            "inbox",
            "case_visibility",
            "audit_log",
            "staff",
            "cases",
            "round_robin_cursor",
        ),
    ),
    Migration(
        2,
        "teams, collectors' skills, capacity, status and quota, assignment rules and history, "
        "cases' routing facts and 1-business-day clock, loaded working-day calendar",
        _teams_rules_and_calendar,
    ),
    Migration(
        3,
        "closure (paid in full, recalled, written off) with each case's balance, the "
        "blacklist of settled long-overdue debtors, case costs, revoked bank keys",
        _closure_blacklist_costs,
    ),
]
