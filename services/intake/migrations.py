from services.intake.models import IntakeTable
from shared.db import Migration, create_tables

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
]
