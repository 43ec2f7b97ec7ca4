from datetime import UTC, datetime

from alembic.operations import Operations
from sqlalchemy import Boolean, Column, Date, DateTime, String, Text, inspect, text

from services.contact.attempts import models as attempts
from services.contact.custody.models import (
    BackedUpRecording,
    RecordingBackup,
    RecordingBackupItem,
    RecordingCustodian,
)
from services.contact.details import models as details
from services.contact.disputes import models as disputes
from services.contact.field_visits import models as visits
from services.contact.models import PURGE_RUNS, WORKDAYS, ContactTable
from services.contact.promises import models as promises
from services.contact.recordings import models as recordings
from services.contact.rules import models as rules
from shared.db import Migration, add_missing_columns, create_tables, exact_numbers
from shared.money import Money
from shared.workdays.calendar import package_years

NEW_TABLES = (
    attempts.ContactAttempt.__tablename__,
    attempts.PaymentClaim.__tablename__,
    disputes.Dispute.__tablename__,
    attempts.FollowUp.__tablename__,
    details.BarredNumber.__tablename__,
    rules.ContactDecision.__tablename__,
    promises.Promise.__tablename__,
    promises.Instalment.__tablename__,
    promises.Payment.__tablename__,
)


def _contact_log(op: Operations) -> None:
    add_missing_columns(
        op,
        "cases",
        Column("account_ref", String(64), nullable=True),
        Column("product_type", String(64), nullable=True),
        Column("timezone", String(64), nullable=True),
        Column("named_contacts", Text, nullable=False, server_default=text("'[]'")),
        Column("status", String(20), nullable=False, server_default=text("'active'")),
        Column("cease_requested_at", DateTime(timezone=True), nullable=True),
        Column("first_contact_due_at", DateTime(timezone=True), nullable=True),
        Column("first_attempt_at", DateTime(timezone=True), nullable=True),
        Column("first_attempt_late", Boolean, nullable=True),
    )
    ContactTable.metadata.create_all(
        op.get_bind(), tables=[ContactTable.metadata.tables[n] for n in NEW_TABLES]
    )


STEP_4_TABLES = (
    recordings.Recording.__tablename__,
    details.ContactDetail.__tablename__,
    visits.FieldVisit.__tablename__,
    WORKDAYS.name,
)
STEP_4_INDEXES = (
    ("cases", "ix_cases_debtor_key", ["debtor_key"]),
    ("contact_attempts", "ix_contact_attempts_debtor_time", ["debtor_key", "started_at"]),
)


def _details_visits_recordings(op: Operations) -> None:
    add_missing_columns(op, "cases", Column("debtor_key", String(64), nullable=True))
    add_missing_columns(
        op,
        "contact_attempts",
        Column("debtor_key", String(64), nullable=True),
        Column("recording_sha256", String(64), nullable=True),
    )
    add_missing_columns(
        op,
        "disputes",
        Column("outcome", String(20), nullable=True),
        Column("resolved_by", String(64), nullable=True),
        Column("resolution_evidence", String(500), nullable=True),
    )
    for table, name, columns in STEP_4_INDEXES:
        present = {i["name"] for i in inspect(op.get_bind()).get_indexes(table)}
        if name not in present:
            op.create_index(name, table, columns)
    ContactTable.metadata.create_all(
        op.get_bind(), tables=[ContactTable.metadata.tables[n] for n in STEP_4_TABLES]
    )


STEP_5_COLUMNS = {
    "cases": (Column("collector_since", DateTime(timezone=True), nullable=True),),
    "contact_attempts": (
        Column("late_entry", Boolean, nullable=False, server_default=text("false")),
        Column("late_entry_reason", String(500), nullable=True),
    ),
    "follow_ups": (Column("due_estimated", Boolean, nullable=False, server_default=text("false")),),
    "field_visits": (
        Column("due_estimated", Boolean, nullable=False, server_default=text("false")),
    ),
    "payments": (Column("unallocated", Money(), nullable=True),),
    "promises": (Column("counts_from", DateTime(timezone=True), nullable=True),),
}


def _entry_times_and_estimates(op: Operations) -> None:
    """Columns only (each table is made whole by step 1 on a fresh database). Open
    re-checks due in a year the shipped calendar does not know were estimated: flagged,
    so that loading that year recounts them."""
    for table, columns in STEP_5_COLUMNS.items():
        add_missing_columns(op, table, *(c.copy() for c in columns))
    unknown_from = datetime(max(package_years()) + 1, 1, 1, tzinfo=UTC)
    op.get_bind().execute(
        text(
            "UPDATE follow_ups SET due_estimated = true WHERE kind = 'payment_recheck' "
            "AND status = 'open' AND due_at >= :unknown_from"
        ),
        {"unknown_from": unknown_from},
    )


MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, cases",
        create_tables(
            ContactTable.metadata, "outbox", "inbox", "case_visibility", "audit_log", "cases"
        ),
    ),
    Migration(
        2,
        "contact log: attempts, rule decisions, disputes, payment claims, follow-ups, barred "
        "numbers, promises and payments; each case's time zone, named contacts and first-contact "
        "clock",
        _contact_log,
    ),
    Migration(
        3,
        "revoked bank keys (BankAccessRevoked): bank tokens of a revoked API key are refused",
        create_tables(ContactTable.metadata, "revoked_bank_keys"),
    ),
    Migration(
        4,
        "recordings, contact details, field visits, the working-day calendar; the debtor "
        "across cases (debtor_key) for the per-debtor daily cap; dispute resolutions",
        _details_visits_recordings,
    ),
    Migration(
        5,
        "late entries and their reasons; when a case reached its collector; estimated "
        "working-day deadlines flagged for the recount; what of a payment promises left",
        _entry_times_and_estimates,
    ),
    Migration(
        6,
        "each case's first overdue day, for its days past due and bucket (shared.pastdue)",
        lambda op: add_missing_columns(op, "cases", Column("overdue_since", Date, nullable=True)),
    ),
    Migration(
        7,
        "exact money: amounts as whole fen and rates as whole millionths in BIGINT columns "
        "(SQLite had kept them as binary floats)",
        exact_numbers(ContactTable.metadata),
    ),
    Migration(
        8,
        "dead letters kept: what the consumer could not handle, for admins to replay or discard",
        create_tables(ContactTable.metadata, "dead_letters"),
    ),
    Migration(
        9,
        "recordings' custodians per branch, their backup runs and reports",
        create_tables(
            ContactTable.metadata,
            RecordingCustodian.__tablename__,
            RecordingBackup.__tablename__,
            RecordingBackupItem.__tablename__,
            BackedUpRecording.__tablename__,
        ),
    ),
    Migration(
        10,
        "the 5-year purge: each purge this service carried out (who ordered it, when, what "
        "went, when it finished)",
        create_tables(ContactTable.metadata, PURGE_RUNS.name),
    ),
]
