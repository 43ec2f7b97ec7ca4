"""Intake's use cases. They never commit: the request's unit of work does."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.exc import IntegrityError

from services.intake import store
from services.intake.apikeys import NewKey, new_key
from services.intake.archive import FileArchive
from services.intake.domain import CaseRow, parse_case_file
from services.intake.models import SECURITY, ApiKey, Case, Client, ImportBatch
from shared.auth.visibility import record_scope
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import CaseImported, CaseUpdated, Debt, ImportCompleted, Person, Phone


def register_client(uow: UnitOfWork, client_id: str, name: str, kind: str) -> Client:
    if store.get_client(uow.session, client_id) is not None:
        raise Conflict(f"client {client_id} is already registered")
    client = Client(id=client_id, name=name, kind=kind, created_at=uow.now, active=True)
    uow.session.add(client)
    try:
        uow.session.flush()
    except IntegrityError as exc:  # registered concurrently
        raise Conflict(f"client {client_id} is already registered") from exc
    return client


def create_api_key(uow: UnitOfWork, client_id: str, label: str) -> tuple[ApiKey, NewKey]:
    """A new key for the client; the caller shows ``NewKey.key`` once and never again."""
    if store.get_client(uow.session, client_id) is None:
        raise NotFound("client")
    made = new_key()
    api_key = ApiKey(
        id=str(uuid.uuid4()),
        client_id=client_id,
        prefix=made.prefix,
        key_hash=made.key_hash,
        label=label,
        created_at=uow.now,
    )
    uow.session.add(api_key)
    uow.session.flush()
    return api_key, made


def revoke_api_key(uow: UnitOfWork, client_id: str, key_id: str) -> ApiKey:
    """Revoke a key at once; revoking it again changes nothing."""
    api_key = store.get_key(uow.session, client_id, key_id)
    if api_key is None:
        raise NotFound("API key")
    if api_key.revoked_at is None:
        api_key.revoked_at = uow.now
        uow.session.add(api_key)
    return api_key


def import_case_file(
    uow: UnitOfWork, archive: FileArchive, client_id: str, filename: str, content: bytes
) -> tuple[ImportBatch, bool]:
    """Import a case file all-or-nothing; returns the batch and whether it was new.

    The same bytes posted twice return the first batch and change nothing. Only a
    registered, active client may post.
    """
    client = store.get_client(uow.session, client_id)
    if client is None or not client.active:
        raise NotFound("client")
    sha256 = hashlib.sha256(content).hexdigest()
    existing = store.batch_by_hash(uow.session, client_id, sha256)
    if existing is not None:
        return existing, False
    parsed = parse_case_file(content)
    if parsed.errors:
        raise ProblemError(
            422,
            f"{len(parsed.errors)} problem(s) in {filename}; nothing was imported",
            title="Invalid case file",
            errors=[e.as_dict() for e in parsed.errors[:1000]],
        )
    archive.store(client_id, sha256, content)
    batch = ImportBatch(
        id=str(uuid.uuid4()),
        client_id=client_id,
        filename=filename[:255],
        sha256=sha256,
        size_bytes=len(content),
        received_at=uow.now,
        state="running",
        rows_total=len(parsed.rows),
    )
    uow.session.add(batch)
    uow.session.flush()
    known = store.cases_by_account(uow.session, client_id, [r.account_ref for r in parsed.rows])
    for row in parsed.rows:
        case = known.get(row.account_ref)
        if case is None:
            _import_new(uow, batch, row)
            batch.rows_imported += 1
        elif _update_existing(uow, batch, case, row):
            batch.rows_updated += 1
    batch.state = "completed"
    batch.completed_at = uow.now
    uow.session.add(batch)
    uow.emit(
        ImportCompleted(
            client_id=client_id,
            batch_id=batch.id,
            rows_total=batch.rows_total,
            rows_imported=batch.rows_imported,
            rows_updated=batch.rows_updated,
            rows_rejected=batch.rows_rejected,
            received_at=batch.received_at,
            completed_at=uow.now,
            entry_overdue=False,
        ),
        case_id=None,
    )
    return batch, True


def _import_new(uow: UnitOfWork, batch: ImportBatch, row: CaseRow) -> None:
    case = Case(
        id=str(uuid.uuid4()),
        client_id=batch.client_id,
        account_ref=row.account_ref,
        batch_id=batch.id,
        debtor_name=row.debtor_name,
        id_number=row.id_number,
        phone=row.phone,
        total_owed=row.total_owed,
        overdue_since=row.overdue_since.isoformat() if row.overdue_since else None,
        received_at=batch.received_at,
    )
    uow.session.add(case)
    record_scope(uow.session, SECURITY.case_visibility, case.id, client_id=batch.client_id)
    uow.emit(
        CaseImported(
            client_id=batch.client_id,
            batch_id=batch.id,
            account_ref=row.account_ref,
            debtor=Person(
                name=row.debtor_name,
                id_type="resident_id" if row.id_number else None,
                id_number=row.id_number,
                phones=(Phone(number=row.phone),) if row.phone else (),
            ),
            debt=Debt(total_owed=row.total_owed),
            overdue_since=row.overdue_since,
            received_at=batch.received_at,
        ),
        case_id=case.id,
    )


def _update_existing(uow: UnitOfWork, batch: ImportBatch, case: Case, row: CaseRow) -> bool:
    if case.total_owed == row.total_owed:
        return False
    old = case.total_owed
    case.total_owed = row.total_owed
    uow.session.add(case)
    uow.emit(
        CaseUpdated(
            client_id=case.client_id,
            account_ref=case.account_ref,
            batch_id=batch.id,
            changes={"total_owed": (str(old), str(row.total_owed))},
            debt=Debt(total_owed=row.total_owed),
        ),
        case_id=case.id,
    )
    return True
