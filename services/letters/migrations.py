from alembic.operations import Operations
from sqlalchemy import Column, Date, DateTime, Numeric, String, inspect

from services.letters.dispatch.models import Delivery, Dispatch
from services.letters.issuing.models import Letter
from services.letters.letterheads.models import Letterhead
from services.letters.limitation.models import Guarantee, LimitationFact
from services.letters.models import PURGE_RUNS, LettersTable
from services.letters.proof.models import EvidenceFile
from services.letters.waiting import WAITING
from shared.db import Migration, add_missing_columns, create_tables, exact_numbers

NEW_TABLES = tuple(
    model.__tablename__
    for model in (Letterhead, Letter, Dispatch, Delivery, EvidenceFile, Guarantee, LimitationFact)
)


def _letters(op: Operations) -> None:
    add_missing_columns(
        op,
        "cases",
        Column("account_ref", String(64), nullable=True),
        Column("product_type", String(64), nullable=True),
        Column("debtor_name", String(200), nullable=True),
        Column("address", String(500), nullable=True),
        Column("principal", Numeric(18, 2), nullable=True),
        Column("interest", Numeric(18, 2), nullable=True),
        Column("penalty", Numeric(18, 2), nullable=True),
        Column("fees", Numeric(18, 2), nullable=True),
        Column("last_paid_at", DateTime(timezone=True), nullable=True),
        Column("limitation_ends_on", Date, nullable=True),
    )
    create_tables(LettersTable.metadata, *NEW_TABLES)(op)
    indexes = {i["name"] for i in inspect(op.get_bind()).get_indexes("cases")}
    if "ix_cases_limitation_ends_on" not in indexes:
        op.create_index("ix_cases_limitation_ends_on", "cases", ["limitation_ends_on"])


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
    Migration(
        4,
        "letters, dispatch, delivery, proof, letterheads, guarantees, limitation facts; the "
        "case's debtor, amounts, last payment and limitation end date",
        _letters,
    ),
    Migration(
        5,
        "exact money: amounts as whole fen and rates as whole millionths in BIGINT columns "
        "(SQLite had kept them as binary floats)",
        exact_numbers(LettersTable.metadata),
    ),
    Migration(
        6,
        "dead letters kept: what the consumer could not handle, for admins to replay or discard",
        create_tables(LettersTable.metadata, "dead_letters"),
    ),
    Migration(
        7,
        "the 5-year purge: each purge this service carried out (who ordered it, when, what "
        "went, when it finished)",
        create_tables(LettersTable.metadata, PURGE_RUNS.name),
    ),
    Migration(
        8,
        "events waiting for their case: a promise or call read before the case it names",
        create_tables(LettersTable.metadata, WAITING.name),
    ),
]
