from alembic.operations import Operations
from sqlalchemy import Boolean, Column, DateTime, String, Text, text

from services.contact.attempts import models as attempts
from services.contact.models import ContactTable
from services.contact.promises import models as promises
from services.contact.rules import models as rules
from shared.db import Migration, add_missing_columns, create_tables

NEW_TABLES = (
    attempts.ContactAttempt.__tablename__,
    attempts.PaymentClaim.__tablename__,
    attempts.Dispute.__tablename__,
    attempts.FollowUp.__tablename__,
    attempts.BarredNumber.__tablename__,
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
]
