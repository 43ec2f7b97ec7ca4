from alembic.operations import Operations
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    inspect,
    text,
)

from services.assignment.agencies.models import Agency, AgencyPlacement, OutsourcingTerms
from services.assignment.approvals.models import Approval
from services.assignment.blacklist.models import BlacklistEntry
from services.assignment.closing.models import CaseBalance
from services.assignment.costs.models import CaseCost
from services.assignment.field_visits.models import FieldVisit
from services.assignment.handover.models import Handover, HandoverCase
from services.assignment.incidents.models import Incident, IncidentEntry
from services.assignment.models import DEFAULT_CAPACITY, PURGE_RUNS, AssignmentTable
from services.assignment.strategy.models import StrategyLadder
from shared.db import Migration, add_missing_columns, create_tables, exact_numbers

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


def _strategy_handovers_visits_approvals(op: Operations) -> None:
    add_missing_columns(
        op,
        "cases",
        Column("overdue_since", Date, nullable=True),
        Column("next_action", String(24), nullable=True),
        Column("next_channel", String(16), nullable=True),
        Column("next_action_due", DateTime(timezone=True), nullable=True),
        Column("debtor_type", String(16), nullable=True),
        Column("situation", String(24), nullable=True),
        Column("treatment", String(24), nullable=True),
        Column("treatment_by", String(36), nullable=True),
        Column("treatment_at", DateTime(timezone=True), nullable=True),
        Column("extended_until", Date, nullable=True),
    )
    # Cases placed before the ladder existed are due for a phone call at once.
    op.execute(
        "UPDATE cases SET next_action = 'phone', next_channel = 'phone', "
        "next_action_due = imported_at WHERE next_action_due IS NULL"
    )
    present = _indexes(op, "cases")
    if QUEUE_INDEX not in present:
        op.create_index(QUEUE_INDEX, "cases", ["collector_id", "next_action_due", "id"])
    if "ix_cases_collector_id" in present:  # the queue index's prefix does its work
        op.drop_index("ix_cases_collector_id", table_name="cases")
    create_tables(
        AssignmentTable.metadata,
        *(m.__tablename__ for m in (StrategyLadder, Approval, Handover, HandoverCase, FieldVisit)),
    )(op)


QUEUE_INDEX = "ix_cases_queue_collector"
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


STEP_5_COLUMNS = {
    "cases": (
        Column("assign_clock_from", DateTime(timezone=True), nullable=True),
        Column("timezone", String(64), nullable=True),
    ),
    "field_visits": (
        Column("quiet_hours_allowed_for", DateTime(timezone=True), nullable=True),
        Column("quiet_hours_reason", String(500), nullable=True),
        Column("quiet_hours_allowed_by", String(36), nullable=True),
    ),
}


def _clock_starts_and_quiet_hours(op: Operations) -> None:
    """Columns only; a case without a zone is judged on the service's default zone."""
    for table, columns in STEP_5_COLUMNS.items():
        add_missing_columns(op, table, *(c.copy() for c in columns))


def _ladder_entry(op: Operations) -> None:
    """Cases received from now on start with a first contact; cases already known keep
    following the ladder as before (their columns stay empty)."""
    add_missing_columns(
        op,
        "cases",
        Column("first_contact_due", DateTime(timezone=True), nullable=True),
        Column("first_contact_at", DateTime(timezone=True), nullable=True),
        Column("entry_step_done_at", DateTime(timezone=True), nullable=True),
    )


def _placement_approval(op: Operations) -> None:
    """Cases known before keep no agreement: their client's active agreements decide."""
    add_missing_columns(op, "cases", Column("agreement_id", String(64), nullable=True))
    add_missing_columns(op, "agency_placements", Column("approval_id", String(36), nullable=True))
    if "ix_agency_placements_approval" not in _indexes(op, "agency_placements"):
        op.create_index("ix_agency_placements_approval", "agency_placements", ["approval_id"])
    create_tables(AssignmentTable.metadata, OutsourcingTerms.__tablename__)(op)


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
    Migration(
        4,
        "cases' next action, debtor type and treatment; strategy ladders, handovers, field "
        "visits, approvals; work-queue indexes",
        _strategy_handovers_visits_approvals,
    ),
    Migration(
        5,
        "where a case's assignment clock started if not at entry (for the recount); the "
        "debtor's zone; supervisors' reasons for visit plans in quiet hours",
        _clock_starts_and_quiet_hours,
    ),
    Migration(
        6,
        "exact money: amounts as whole fen and rates as whole millionths in BIGINT columns "
        "(SQLite had kept them as binary floats)",
        exact_numbers(AssignmentTable.metadata),
    ),
    Migration(
        7,
        "dead letters kept: what the consumer could not handle, for admins to replay or discard",
        create_tables(AssignmentTable.metadata, "dead_letters"),
    ),
    Migration(
        8,
        "the ladder for cases that arrive late: first contact, then the entry step",
        _ladder_entry,
    ),
    Migration(
        9,
        "incidents and their log (actions, who was told, contacts while open)",
        create_tables(
            AssignmentTable.metadata, Incident.__tablename__, IncidentEntry.__tablename__
        ),
    ),
    Migration(
        10,
        "outside agencies (委外) and the cases placed with them",
        create_tables(
            AssignmentTable.metadata, Agency.__tablename__, AgencyPlacement.__tablename__
        ),
    ),
    Migration(
        11,
        "the 5-year purge: each purge this service carried out (who ordered it, when, what "
        "went, when it finished)",
        create_tables(AssignmentTable.metadata, PURGE_RUNS.name),
    ),
    Migration(
        12,
        "agency placements that wait for an approval where the agreement requires one: "
        "agreements' outsourcing terms, each case's agreement",
        _placement_approval,
    ),
]
