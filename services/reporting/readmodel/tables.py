"""The read models: plain tables made by one factory, so a rebuild can make a fresh set.

Live tables carry their plain names; a rebuild makes the same tables under a prefix, fills
them from offset zero and swaps them in (see ``rebuild.py``). Secondary indexes are named
after the live tables and created on the rebuilt ones only when they are swapped in.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from shared.money import Money, Rate


def _at(name: str, nullable: bool = True) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable)


@dataclass(frozen=True)
class ReadModel:
    cases: Table
    holdings: Table
    payments: Table
    attempts: Table
    promises: Table
    promise_outcomes: Table
    letters: Table
    approvals: Table
    costs: Table
    visits: Table
    imports: Table
    collectors: Table
    agreements: Table
    event_tally: Table
    timeline: Table
    incidents: Table
    placements: Table
    agencies: Table

    def all(self) -> list[Table]:
        return [getattr(self, f.name) for f in fields(self)]


# (live table, columns) of each secondary index; named ix_<live table>_<columns>.
SECONDARY_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rm_cases", ("client_id",)),
    ("rm_holdings", ("case_id", "since")),
    ("rm_holdings", ("collector_id",)),
    ("rm_payments", ("case_id",)),
    ("rm_payments", ("paid_at",)),
    ("rm_payments", ("collector_id",)),
    ("rm_attempts", ("collector_id", "at")),
    ("rm_attempts", ("case_id", "at")),
    ("rm_promises", ("collector_id",)),
    ("rm_promise_outcomes", ("at",)),
    ("rm_letters", ("case_id",)),
    ("rm_approvals", ("requested_by", "requested_at")),
    ("rm_costs", ("case_id",)),
    ("rm_timeline", ("case_id", "at")),
    ("rm_placements", ("case_id", "placed_at")),
)


def read_model_tables(metadata: MetaData, prefix: str = "") -> ReadModel:
    def table(name: str, *columns: Column) -> Table:
        return Table(prefix + name, metadata, *columns)

    return ReadModel(
        cases=table(
            "rm_cases",
            Column("case_id", String(36), primary_key=True),
            Column("client_id", String(64)),
            Column("agreement_id", String(64)),
            Column("account_ref", String(64)),
            Column("product_type", String(64)),
            Column("bucket", String(16)),
            Column("region", String(64)),
            # The first overdue day by shared.pastdue: the bank's date, else implied by
            # its days past due on the day counted to.
            Column("overdue_since", Date),
            Column("owed_at_import", Money()),
            Column("owed", Money()),
            _at("owed_set_at"),
            _at("received_at"),
            _at("imported_at"),
            _at("first_assigned_at"),
            _at("due_first_action_by"),
            _at("first_attempt_at"),
            _at("recalled_at"),
            _at("closed_at"),
            Column("closed_outcome", String(20)),
        ),
        holdings=table(
            "rm_holdings",
            Column("event_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("collector_id", String(36), nullable=False),
            Column("team_id", String(36)),
            Column("branch_id", String(36)),
            _at("since", nullable=False),
            Column("reason", String(200)),
        ),
        payments=table(
            "rm_payments",
            Column("client_id", String(64), primary_key=True),
            Column("transaction_ref", String(128), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("amount", Money(), nullable=False),
            _at("paid_at", nullable=False),
            Column("collector_id", String(36)),  # who held the case when it was paid
        ),
        attempts=table(
            "rm_attempts",
            Column("attempt_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("collector_id", String(36), nullable=False),
            Column("channel", String(20), nullable=False),
            Column("party", String(20), nullable=False),
            Column("outcome", String(40), nullable=False),
            Column("direction", String(10), nullable=False),
            Column("right_party", Boolean, nullable=False),
            _at("at", nullable=False),
        ),
        promises=table(
            "rm_promises",
            Column("promise_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("collector_id", String(36), nullable=False),
            Column("amount", Money(), nullable=False),
            Column("due_on", Date, nullable=False),
            _at("promised_at", nullable=False),
        ),
        promise_outcomes=table(
            "rm_promise_outcomes",
            Column("promise_id", String(36), primary_key=True),
            Column("instalment", Integer, primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("kept", Boolean, nullable=False),
            _at("at", nullable=False),
        ),
        letters=table(
            "rm_letters",
            Column("letter_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("kind", String(40)),
            _at("issued_at"),
            Column("mailed_on", Date),
            Column("outcome", String(20)),
        ),
        approvals=table(
            "rm_approvals",
            Column("approval_id", String(36), primary_key=True),
            Column("case_id", String(36)),
            Column("kind", String(40)),
            Column("reason", Text),
            Column("next_steps", Text),
            Column("requested_by", String(36)),
            _at("requested_at"),
            Column("decision", String(10)),
            _at("decided_at"),
        ),
        costs=table(
            "rm_costs",
            Column("cost_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("client_id", String(64), nullable=False),
            Column("kind", String(20), nullable=False),
            Column("amount", Money(), nullable=False),
            Column("incurred_on", Date, nullable=False),
        ),
        visits=table(
            "rm_visits",
            Column("visit_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("field_collector_id", String(36)),
            _at("ordered_at"),
            _at("due_by"),
            _at("visited_at"),
        ),
        imports=table(
            "rm_imports",
            Column("batch_id", String(36), primary_key=True),
            Column("client_id", String(64), nullable=False),
            Column("rows_imported", Integer, nullable=False),
            _at("received_at", nullable=False),
            _at("completed_at", nullable=False),
        ),
        collectors=table(
            "rm_collectors",
            Column("collector_id", String(36), primary_key=True),
            Column("name", String(100), nullable=False),
            Column("role", String(40), nullable=False),
            Column("team_id", String(36)),
            Column("branch_id", String(36)),
            Column("status", String(20), nullable=False),
            Column("monthly_quota", Money()),
            _at("changed_at", nullable=False),
        ),
        agreements=table(
            "rm_agreements",
            Column("agreement_id", String(64), primary_key=True),
            Column("client_id", String(64), nullable=False),
            Column("number", String(64), nullable=False),
            Column("status", String(20), nullable=False),
            Column("starts_on", Date, nullable=False),
            Column("ends_on", Date, nullable=False),
            Column("commission_rate", Rate(), nullable=False),
            Column("bucket_rates", Text, nullable=False),
            Column("reconciliation_day", Integer, nullable=False),
            Column("recovery_target", Money()),
            _at("saved_at", nullable=False),
        ),
        timeline=table(
            "rm_timeline",
            Column("event_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("event_type", String(64), nullable=False),
            _at("at", nullable=False),
            Column("detail", Text, nullable=False),
        ),
        incidents=table(
            "rm_incidents",
            Column("incident_id", String(36), primary_key=True),
            Column("kind", String(24)),
            Column("case_id", String(36)),
            Column("team_id", String(64)),
            Column("branch_id", String(64)),
            Column("raised_by", String(36)),
            Column("supervisor_id", String(36)),
            _at("occurred_at"),
            _at("raised_at"),
            _at("supervisor_told_at"),
            _at("resolved_at"),
        ),
        # Cases placed with outside agencies (委外): payments from placed_at until
        # recalled_at count for the agency, at the rate it was placed at.
        placements=table(
            "rm_placements",
            Column("placement_id", String(36), primary_key=True),
            Column("case_id", String(36), nullable=False),
            Column("agency_id", String(64), nullable=False),
            Column("commission_rate", Rate()),
            _at("placed_at"),
            _at("recalled_at"),
        ),
        agencies=table(
            "rm_agencies",
            Column("agency_id", String(64), primary_key=True),
            Column("name", String(200), nullable=False),
            _at("saved_at", nullable=False),
        ),
        event_tally=table(
            "event_tally",
            Column("event_type", String(64), primary_key=True),
            Column("count", Integer, nullable=False),
            _at("last_seen_at"),
        ),
    )


def index_name(table: str, columns: tuple[str, ...], prefix: str = "") -> str:
    return f"ix_{prefix}{table}_{'_'.join(columns)}"


# The indexes the handlers themselves read through (a payment's holder), which a rebuild
# needs while it fills its tables; the others are made once, at the swap.
HANDLER_INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rm_holdings", ("case_id", "since")),
    ("rm_payments", ("case_id",)),
)


def secondary_index_ddl(
    prefix: str = "", indexes: tuple[tuple[str, tuple[str, ...]], ...] = SECONDARY_INDEXES
) -> list[str]:
    """``CREATE INDEX`` for a set of tables (the live ones, or a rebuild's under its prefix)."""
    return [
        f"CREATE INDEX IF NOT EXISTS {index_name(table, columns, prefix)} "
        f"ON {prefix}{table} ({', '.join(columns)})"
        for table, columns in indexes
    ]
