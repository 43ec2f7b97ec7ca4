from alembic.operations import Operations
from sqlalchemy import Boolean, Column, Date, Integer, String, inspect, text

from services.intake.models import IntakeTable
from shared.db import Migration, create_tables


def _add_missing(op: Operations, table: str, *columns: Column[object]) -> None:
    """Add the columns a database made before this step lacks (step 1 creates tables as
    the models define them today, so a fresh database has them already)."""
    present = {c["name"] for c in inspect(op.get_bind()).get_columns(table)}
    for column in columns:
        if column.name not in present:
            op.add_column(table, column)


def _errors_and_warnings(op: Operations) -> None:
    no = text("false")
    _add_missing(op, "agreements", Column("strict", Boolean, nullable=False, server_default=no))
    _add_missing(
        op,
        "import_batches",
        Column("strict", Boolean, nullable=False, server_default=no),
        Column("as_of", Date, nullable=True),
        Column("bank_row_header", String(200), nullable=True),
        Column("rows_with_warnings", Integer, nullable=False, server_default=text("0")),
    )
    _add_missing(
        op,
        "batch_errors",
        Column("bank_row", String(64), nullable=True),
        Column("severity", String(10), nullable=False, server_default=text("'error'")),
    )


MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, security, clients, API keys, agreements, batches, batch errors, cases, "
        "payments",
        create_tables(
            IntakeTable.metadata,
            "outbox",
            "inbox",
            "case_visibility",
            "audit_log",
            "clients",
            "api_keys",
            "agreements",
            "import_batches",
            "batch_errors",
            "cases",
            "payments",
        ),
    ),
    Migration(
        2,
        "errors and warnings: strict agreements, a batch's as-of date and warning count, "
        "each finding's severity and the bank's own row number",
        _errors_and_warnings,
    ),
]
