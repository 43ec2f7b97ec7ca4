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
]
