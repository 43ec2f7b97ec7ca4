"""Case files' queries: batches by hash, key and id, their findings, the batches a stopped
process left unfinished, and the outbox rows of a chunk's new cases."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from services.intake.case_files.models import BatchError, ImportBatch
from services.intake.case_files.parsing.rows import Finding
from services.intake.models import BUS
from shared.bus.encoded import EncodedEvent
from shared.bus.outbox import Outbox
from shared.db import execute_many
from shared.web.paging import keyset, page

MAX_TEXT = 500


def batch_by_hash(session: Session, client_id: str, sha256: str) -> ImportBatch | None:
    """The live batch of these bytes (a batch that failed whole does not count)."""
    return session.exec(
        select(ImportBatch).where(
            ImportBatch.client_id == client_id,
            ImportBatch.sha256 == sha256,
            ImportBatch.state != "failed",
        )
    ).first()


def batch_by_key(session: Session, client_id: str, key: str) -> ImportBatch | None:
    return session.exec(
        select(ImportBatch).where(
            ImportBatch.client_id == client_id, ImportBatch.idempotency_key == key
        )
    ).first()


def get_batch(session: Session, client_id: str, batch_id: str) -> ImportBatch | None:
    batch = session.get(ImportBatch, batch_id)
    return batch if batch is not None and batch.client_id == client_id else None


def batch_errors(session: Session, batch_id: str, page: int = 1000) -> Iterator[BatchError]:
    """Every rejected row of a batch in order, read a page at a time."""
    after = 0
    while True:
        found = session.exec(
            select(BatchError)
            .where(BatchError.batch_id == batch_id, col(BatchError.id) > after)
            .order_by(col(BatchError.id))
            .limit(page)
        ).all()
        yield from found
        if len(found) < page:
            return
        after = found[-1].id or 0


def first_errors(session: Session, batch_id: str, limit: int) -> list[BatchError]:
    return list(
        session.exec(
            select(BatchError)
            .where(BatchError.batch_id == batch_id)
            .order_by(col(BatchError.id))
            .limit(limit)
        ).all()
    )


def unfinished_batches(session: Session) -> list[ImportBatch]:
    return list(
        session.exec(
            select(ImportBatch)
            .where(col(ImportBatch.state).in_(("received", "running")))
            .order_by(col(ImportBatch.received_at))
        )
    )


def delete_errors(session: Session, batch_id: str) -> None:
    session.execute(delete(BatchError).where(col(BatchError.batch_id) == batch_id))


def insert_findings(session: Session, batch_id: str, findings: Sequence[Finding]) -> None:
    if findings:
        execute_many(
            session,
            insert(BatchError.__table__),  # type: ignore[arg-type]
            [
                {
                    "batch_id": batch_id,
                    "row": f.row,
                    "bank_row": f.bank_row,
                    "severity": f.severity,
                    "column": f.column[:200],
                    "value": f.value[:MAX_TEXT],
                    "reason": f.reason[:MAX_TEXT],
                }
                for f in findings
            ],
        )


def insert_events(session: Session, events: Sequence[EncodedEvent]) -> None:
    """Events already serialised (a chunk's ``CaseImported``), into the outbox."""
    Outbox(BUS).add_encoded(session, events)


def page_batches(
    session: Session, client_id: str, limit: int, after: str | None
) -> tuple[list[ImportBatch], str | None]:
    """The client's case files, newest first."""
    order = [col(ImportBatch.received_at), col(ImportBatch.id)]
    query = select(ImportBatch).where(ImportBatch.client_id == client_id)
    rows = session.exec(keyset(query, order, limit, after, descending=True)).all()
    return page(rows, limit, lambda b: (b.received_at, b.id))
