from services.assignment.models import AssignmentTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, collectors, cases, round-robin cursor",
        create_tables(
            AssignmentTable.metadata, "outbox", "inbox", "collectors", "cases", "round_robin_cursor"
        ),
    ),
]
