from alembic.operations import Operations
from sqlalchemy import Boolean, Column, Date, Integer, String, text

from services.intake.emergency.models import (
    DeliveryAttempt,
    EmergencyEndpoint,
    EmergencyNotification,
    SigningSecret,
)
from services.intake.models import IntakeTable
from shared.db import Migration, add_missing_columns, create_tables


def _offline_intake(op: Operations) -> None:
    add_missing_columns(op, "import_batches", Column("offline_incident_id", String(36)))


def _errors_and_warnings(op: Operations) -> None:
    no = text("false")
    add_missing_columns(
        op, "agreements", Column("strict", Boolean, nullable=False, server_default=no)
    )
    add_missing_columns(
        op,
        "import_batches",
        Column("strict", Boolean, nullable=False, server_default=no),
        Column("as_of", Date, nullable=True),
        Column("bank_row_header", String(200), nullable=True),
        Column("rows_with_warnings", Integer, nullable=False, server_default=text("0")),
    )
    add_missing_columns(
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
    Migration(
        3,
        "revoked bank keys (BankAccessRevoked): bank tokens of a revoked API key are refused",
        create_tables(IntakeTable.metadata, "revoked_bank_keys"),
    ),
    Migration(
        4,
        "the bank's emergency channel: endpoints per agreement, signing secrets per client, "
        "the notification outbox and its delivery log",
        create_tables(
            IntakeTable.metadata,
            EmergencyEndpoint.__tablename__,
            SigningSecret.__tablename__,
            EmergencyNotification.__tablename__,
            DeliveryAttempt.__tablename__,
        ),
    ),
    Migration(
        5,
        "offline intake: a batch carried in after a failed data transfer names its incident",
        _offline_intake,
    ),
]
