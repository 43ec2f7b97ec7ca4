from services.reporting.models import ReportingTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, case facts, event tally",
        create_tables(
            ReportingTable.metadata,
            "outbox",
            "inbox",
            "case_visibility",
            "audit_log",
            "case_facts",
            "event_tally",
        ),
    ),
    Migration(
        2,
        "revoked bank keys (BankAccessRevoked): bank tokens of a revoked API key are refused",
        create_tables(ReportingTable.metadata, "revoked_bank_keys"),
    ),
]
