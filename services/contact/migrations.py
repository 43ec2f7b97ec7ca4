from services.contact.models import ContactTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, cases",
        create_tables(
            ContactTable.metadata, "outbox", "inbox", "case_visibility", "audit_log", "cases"
        ),
    ),
]
