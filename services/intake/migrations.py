from datetime import datetime

from alembic.operations import Operations
from sqlalchemy import Boolean, Column, Date, Integer, String, text

from services.intake.agreements.models import Agreement
from services.intake.apikeys.models import ApiKey
from services.intake.case_files.models import BatchError, ImportBatch
from services.intake.cases.models import Case
from services.intake.clients.models import Client
from services.intake.emergency.models import (
    DeliveryAttempt,
    EmergencyEndpoint,
    EmergencyNotification,
    SigningSecret,
)
from services.intake.models import PURGE_RUNS, IntakeTable
from services.intake.payments.models import Payment
from shared.clock import to_local
from shared.db import Migration, add_missing_columns, create_tables, exact_numbers


def _outsourcing_approval(op: Operations) -> None:
    add_missing_columns(
        op,
        "agreements",
        Column("outsourcing_needs_approval", Boolean, nullable=False, server_default=text("false")),
    )


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


def _v1_bucket(days: int) -> str:
    """The bucket intake derived before step 4 (everything over 90 days was M4+)."""
    return "M0" if days <= 0 else "M4+" if days > 90 else f"M{(days + 29) // 30}"


def _days_counted_on(op: Operations) -> None:
    """Cases say which day their days past due were counted to (the day received, as
    intake counted before), and keep only the bank's own bucket label: one intake derived
    itself (M0…M3, M4+) is cleared, the platform counts buckets from days past due."""
    add_missing_columns(op, "cases", Column("days_past_due_on", Date, nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        text(
            "SELECT id, received_at, days_past_due, bucket FROM cases "
            "WHERE days_past_due IS NOT NULL AND days_past_due_on IS NULL"
        )
    ).all()
    for case_id, received_at, days, bucket in rows:
        moment = (
            received_at
            if isinstance(received_at, datetime)
            else datetime.fromisoformat(str(received_at))
        )
        conn.execute(
            text("UPDATE cases SET days_past_due_on = :on, bucket = :bucket WHERE id = :id"),
            {
                "on": to_local(moment).date(),
                "bucket": None if bucket == _v1_bucket(days) else bucket,
                "id": case_id,
            },
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
            *(
                model.__tablename__
                for model in (Client, ApiKey, Agreement, ImportBatch, BatchError, Case, Payment)
            ),
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
        "days past due counted to a stated day (days_past_due_on); the bucket column keeps "
        "only the bank's own label",
        _days_counted_on,
    ),
    Migration(
        5,
        "exact money: amounts as whole fen and rates as whole millionths in BIGINT columns "
        "(SQLite had kept them as binary floats)",
        exact_numbers(IntakeTable.metadata),
    ),
    Migration(
        6,
        "dead letters kept: what the consumer could not handle, for admins to replay or discard",
        create_tables(IntakeTable.metadata, "dead_letters"),
    ),
    Migration(
        7,
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
        8,
        "offline intake: a batch carried in after a failed data transfer names its incident",
        _offline_intake,
    ),
    Migration(
        9,
        "the 5-year purge: each purge this service carried out (who ordered it, when, what "
        "went, when it finished)",
        create_tables(IntakeTable.metadata, PURGE_RUNS.name),
    ),
    Migration(
        10,
        "agreements that require an approval before a case is placed with an outside agency",
        _outsourcing_approval,
    ),
]
