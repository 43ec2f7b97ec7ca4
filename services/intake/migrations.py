from services.intake.models import IntakeTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, security, clients, API keys, batches and cases",
        create_tables(
            IntakeTable.metadata,
            "outbox",
            "inbox",
            "case_visibility",
            "audit_log",
            "clients",
            "api_keys",
            "import_batches",
            "cases",
        ),
    ),
]
