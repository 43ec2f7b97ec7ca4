from alembic.operations import Operations
from sqlalchemy import Column, DateTime, MetaData, String, Table, text

from services.reporting.models import METADATA, PURGE_RUNS, ReportingTable
from services.reporting.readmodel.tables import secondary_index_ddl
from shared.db import Migration, create_tables, exact_numbers

# Migration 1's per-case table, replaced by the read models of migration 2.
_V1 = MetaData()
Table(
    "case_facts",
    _V1,
    Column("case_id", String(36), primary_key=True),
    Column("client_id", String(64), nullable=False, index=True),
    Column("imported_at", DateTime(timezone=True)),
    Column("assigned_at", DateTime(timezone=True)),
    Column("collector_id", String(36)),
)
READ_MODELS = tuple(t.name for t in sorted(METADATA.sorted_tables, key=lambda t: t.name))


def _read_models(op: Operations) -> None:
    """Read models, calendar copy, snapshots. The read models start empty on an upgraded
    database: `make rebuild-reports` fills them from the topics (README)."""
    names = [n for n in READ_MODELS if n.startswith("rm_")] + [
        "workday_calendar",
        "report_submissions",
        "report_reviews",
    ]
    METADATA.create_all(op.get_bind(), tables=[METADATA.tables[n] for n in names])
    for ddl in secondary_index_ddl():
        op.execute(text(ddl))
    op.drop_table("case_facts")


def _placements(op: Operations) -> None:
    """Placements of earlier months come in with `make rebuild-reports` (README)."""
    create_tables(METADATA, "rm_placements", "rm_agencies")(op)
    for ddl in secondary_index_ddl():
        if " rm_placements " in ddl:
            op.execute(text(ddl))


MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, case facts, event tally",
        lambda op: (
            create_tables(
                ReportingTable.metadata,
                "outbox",
                "inbox",
                "case_visibility",
                "audit_log",
                "event_tally",
            )(op),
            create_tables(_V1, "case_facts")(op),
        ),
    ),
    Migration(
        2,
        "revoked bank keys (BankAccessRevoked): bank tokens of a revoked API key are refused",
        create_tables(ReportingTable.metadata, "revoked_bank_keys"),
    ),
    Migration(3, "read models fed by every topic, calendar copy, report snapshots", _read_models),
    Migration(
        4,
        "exact money: amounts as whole fen and rates as whole millionths in BIGINT columns "
        "(SQLite had kept them as binary floats)",
        exact_numbers(METADATA),
    ),
    Migration(
        5,
        "dead letters kept: what the consumer could not handle, for admins to replay or discard",
        create_tables(METADATA, "dead_letters"),
    ),
    Migration(
        6,
        "incidents' clocks (12-hour outage, time to tell the supervisor) as SLA breaches",
        create_tables(METADATA, "rm_incidents"),
    ),
    Migration(
        7,
        "the 5-year purge: each purge this service carried out (who ordered it, when, what "
        "went, when it finished)",
        create_tables(METADATA, PURGE_RUNS.name),
    ),
    Migration(
        8,
        "outside agencies' placements: per-agency recoveries and commission",
        _placements,
    ),
]
