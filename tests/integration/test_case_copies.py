"""The local copy of a case: whichever event comes first creates it, later ones refresh
their columns, and a value kept first stays (shared.casecopy, used by contact and letters)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Column, DateTime, MetaData, String, Table, select

from shared.casecopy import case_row, record_case_copies
from shared.db import Database
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_imported

COPIES = Table(
    "case_copies",
    MetaData(),
    Column("id", String(36), primary_key=True),
    Column("client_id", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("collector_id", String(36)),
    Column("account_ref", String(64)),
    Column("first_due_at", DateTime(timezone=True)),
)


def test_assignment_before_import_keeps_the_collector_and_the_first_deadline(
    database_url: str,
) -> None:
    db = Database(database_url)
    COPIES.metadata.create_all(db.engine)
    imported = case_imported(FIXED_NOW)
    assert imported.case_id is not None
    first, second = (
        case_assigned(FIXED_NOW + timedelta(minutes=m), imported.case_id, who)
        for m, who in ((1, "collector-a"), (2, "collector-b"))
    )
    try:
        for event, due in ((first, FIXED_NOW), (second, FIXED_NOW + timedelta(days=1))):
            with db.transaction() as session:
                row = case_row(event, "BANK-A", collector_id=event.payload.collector_id)
                record_case_copies(
                    session,
                    COPIES,
                    [row | {"first_due_at": due}],
                    refresh=["collector_id"],
                    keep_first=["first_due_at"],
                )
        with db.transaction() as session:
            row = case_row(imported, "BANK-A", account_ref="ACC-1")
            record_case_copies(session, COPIES, [row], refresh=["account_ref"])
            record_case_copies(session, COPIES, [row | {"account_ref": "ignored"}])
        with db.reader() as session:
            copy = session.execute(select(COPIES)).one()
        assert (copy.id, copy.collector_id, copy.account_ref) == (
            imported.case_id,
            "collector-b",
            "ACC-1",
        )
        assert copy.first_due_at.replace(tzinfo=None) == FIXED_NOW.replace(tzinfo=None)
        assert copy.received_at.replace(tzinfo=None) == first.occurred_at.replace(tzinfo=None)
    finally:
        db.engine.dispose()
