from services.assignment.models import AssignmentTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "bus, security, staff, cases, round-robin cursor",
        create_tables(
            AssignmentTable.metadata,
            "outbox",
            "inbox",
            "case_visibility",
            "audit_log",
            "staff",
            "cases",
            "round_robin_cursor",
        ),
    ),
]
