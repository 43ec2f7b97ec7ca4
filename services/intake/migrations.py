from services.intake.models import IntakeTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, batches and cases",
        create_tables(IntakeTable.metadata, "outbox", "inbox", "import_batches", "cases"),
    ),
]
