from services.letters.models import LettersTable
from shared.db import Migration, create_tables

MIGRATIONS = [
    Migration(
        1,
        "outbox, inbox, cases",
        create_tables(
            LettersTable.metadata, "outbox", "inbox", "case_visibility", "audit_log", "cases"
        ),
    ),
    Migration(
        2,
        "working-day calendar loaded in assignment (WorkdayCalendarLoaded)",
        create_tables(LettersTable.metadata, "workday_calendar"),
    ),
    Migration(
        3,
        "revoked bank keys (BankAccessRevoked): bank tokens of a revoked API key are refused",
        create_tables(LettersTable.metadata, "revoked_bank_keys"),
    ),
]
