"""Every query intake makes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, update
from sqlmodel import Session, col, select

from services.intake.importing.parsing.rows import Finding
from services.intake.models import (
    BUS,
    SECURITY,
    Agreement,
    ApiKey,
    BatchError,
    Case,
    Client,
    ImportBatch,
    Payment,
)
from shared.bus.encoded import EncodedEvent
from shared.bus.outbox import Outbox
from shared.pastdue import unknown_buckets
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


def cases_by_account(session: Session, client_id: str, refs: list[str]) -> dict[str, Case]:
    if not refs:
        return {}
    found = session.exec(
        select(Case).where(Case.client_id == client_id, col(Case.account_ref).in_(refs))
    ).all()
    return {c.account_ref: c for c in found}


def case_by_account(session: Session, client_id: str, account_ref: str) -> Case | None:
    return session.exec(
        select(Case).where(Case.client_id == client_id, Case.account_ref == account_ref)
    ).first()


def get_client(session: Session, client_id: str) -> Client | None:
    return session.get(Client, client_id)


def page_clients(
    session: Session, limit: int, after: str | None
) -> tuple[list[Client], str | None]:
    rows = session.exec(keyset(select(Client), [col(Client.id)], limit, after)).all()
    return page(rows, limit, lambda c: (c.id,))


def keys_of_client(session: Session, client_id: str) -> list[ApiKey]:
    return list(
        session.exec(
            select(ApiKey)
            .where(ApiKey.client_id == client_id)
            .order_by(col(ApiKey.created_at), col(ApiKey.id))
        ).all()
    )


def get_key(session: Session, client_id: str, key_id: str) -> ApiKey | None:
    key = session.get(ApiKey, key_id)
    return key if key is not None and key.client_id == client_id else None


def get_agreement(session: Session, client_id: str, agreement_id: str) -> Agreement | None:
    found = session.get(Agreement, agreement_id)
    return found if found is not None and found.client_id == client_id else None


def agreement_by_number(session: Session, client_id: str, number: str) -> Agreement | None:
    return session.exec(
        select(Agreement).where(Agreement.client_id == client_id, Agreement.number == number)
    ).first()


def agreements_with_unknown_buckets(session: Session) -> list[tuple[str, str, list[str]]]:
    """(agreement id, client id, keys) for agreements with per-bucket rates whose keys
    are not buckets."""
    found = []
    for a in session.exec(select(Agreement).order_by(col(Agreement.id))).all():
        if keys := unknown_buckets(a.bucket_rates or {}):
            found.append((a.id, a.client_id, keys))
    return found


def agreements_of(session: Session, client_id: str) -> list[Agreement]:
    return list(
        session.exec(
            select(Agreement)
            .where(Agreement.client_id == client_id)
            .order_by(col(Agreement.start_date), col(Agreement.number))
        ).all()
    )


def payment_by_ref(session: Session, client_id: str, transaction_ref: str) -> Payment | None:
    return session.exec(
        select(Payment).where(
            Payment.client_id == client_id, Payment.transaction_ref == transaction_ref
        )
    ).first()


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
        session.execute(
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


def insert_cases(session: Session, rows: list[dict[str, Any]]) -> None:
    """New cases, one multi-row insert, each visible to its client (and admins);
    assignment adds collectors later."""
    if rows:
        session.execute(insert(Case.__table__), rows)  # type: ignore[arg-type]
        session.execute(
            SECURITY.case_visibility.insert(),
            [{"case_id": r["id"], "client_id": r["client_id"]} for r in rows],
        )


def key_by_hash(session: Session, key_hash: str) -> tuple[ApiKey, bool] | None:
    """The API key with this hash and whether its client is active."""
    found = session.exec(
        select(ApiKey, Client.active)
        .join(Client, Client.id == ApiKey.client_id)  # type: ignore[arg-type]
        .where(ApiKey.key_hash == key_hash)
    ).first()
    return None if found is None else (found[0], bool(found[1]))


def touch_key(session: Session, key_id: str, now: datetime, every: timedelta) -> None:
    """Record a key's use, unless it was recorded less than ``every`` ago (the condition
    keeps concurrent replicas to one write per period)."""
    table = ApiKey.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(
            table.c.id == key_id,
            or_(table.c.last_used_at.is_(None), table.c.last_used_at <= now - every),
        )
        .values(last_used_at=now)
    )


def insert_events(session: Session, events: Sequence[EncodedEvent]) -> None:
    """Events already serialised (a chunk's ``CaseImported``), into the outbox."""
    Outbox(BUS).add_encoded(session, events)


# --- a client's lists, keyset-paged (shared.web.paging) ------------------------------------


def page_batches(
    session: Session, client_id: str, limit: int, after: str | None
) -> tuple[list[ImportBatch], str | None]:
    """The client's case files, newest first."""
    order = [col(ImportBatch.received_at), col(ImportBatch.id)]
    query = select(ImportBatch).where(ImportBatch.client_id == client_id)
    rows = session.exec(keyset(query, order, limit, after, descending=True)).all()
    return page(rows, limit, lambda b: (b.received_at, b.id))


def page_cases(
    session: Session,
    client_id: str,
    limit: int,
    after: str | None,
    *,
    state: str | None = None,
    bucket: str | None = None,
    account_ref: str | None = None,
) -> tuple[list[Case], str | None]:
    """The client's cases by account reference; ``account_ref`` matches its beginning."""
    query = select(Case).where(Case.client_id == client_id)
    if state:
        query = query.where(Case.state == state)
    if bucket:
        query = query.where(Case.bucket == bucket)
    if account_ref:
        query = query.where(col(Case.account_ref).startswith(account_ref, autoescape=True))
    order = [col(Case.account_ref), col(Case.id)]
    rows = session.exec(keyset(query, order, limit, after)).all()
    return page(rows, limit, lambda c: (c.account_ref, c.id))


def page_payments(
    session: Session, client_id: str, limit: int, after: str | None, account_ref: str | None
) -> tuple[list[Payment], str | None]:
    """The client's payments, the latest received first."""
    query = select(Payment).where(Payment.client_id == client_id)
    if account_ref:
        query = query.where(Payment.account_ref == account_ref)
    order = [col(Payment.received_at), col(Payment.id)]
    rows = session.exec(keyset(query, order, limit, after, descending=True)).all()
    return page(rows, limit, lambda p: (p.received_at, p.id))
