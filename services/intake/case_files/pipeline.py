"""Importing a received case file, a chunk of rows per transaction.

Each chunk is validated, then stored in one transaction: new cases inserted with their
``CaseImported``, changed cases updated with their ``CaseUpdated``, rejected rows written
to ``batch_errors`` and the batch's counters moved on. A chunk is whole or absent, so no
row is ever half-written. In all-or-nothing mode a first pass validates the whole file
and the import pass runs only if it found nothing wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from services.intake.agreements import store as agreements
from services.intake.case_files import domain, store
from services.intake.case_files.archive import archive_of
from services.intake.case_files.models import ImportBatch
from services.intake.case_files.parsing.file import FileRejected, case_rows, layout, open_case_file
from services.intake.case_files.parsing.rows import Finding
from services.intake.case_files.parsing.validation import RowContext
from services.intake.case_files.writer import Chunk, Target, rejected_rows, warned_rows, write_chunk
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.events.catalog import ImportCompleted
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)
CHUNK_ROWS = 2000
CHUNK_BYTES = 1024 * 1024
# How often a chunk asks how far into the file it is (each ask is a system call).
POSITION_EVERY = 64


@dataclass(frozen=True)
class Job:
    batch_id: str
    client_id: str
    agreement_id: str | None
    mapping: dict[str, str]
    all_or_nothing: bool
    path: Path
    correlation_id: str | None = None
    strict: bool = False
    as_of: date | None = None

    @property
    def target(self) -> Target:
        return Target(self.client_id, self.agreement_id, self.batch_id)

    chunk_rows: int = CHUNK_ROWS
    resume_after: int = 0


def run(runtime: Runtime, job: Job) -> None:
    """Import the file; the batch ends ``completed`` or ``failed``, never stays running.

    A resumed job (``resume_after`` rows already stored by chunks that committed before
    the process stopped) reads those rows again, for the duplicate check, but does not
    store them twice: its first chunk starts on the row after them, whatever size the
    chunks had when they were stored.
    """
    try:
        with runtime.work(job.correlation_id) as uow:
            batch = _batch(uow, job)
            batch.state = "running"
            batch.started_at = batch.started_at or uow.now
            received = to_local(batch.received_at).date()
        ctx = RowContext(received=received, as_of=job.as_of, strict=job.strict)
        checked = not job.all_or_nothing or job.resume_after > 0
        if not checked and not _check_whole_file(runtime, job, ctx):
            _finish(runtime, job, failure="the file has invalid rows; nothing was imported")
            return
        for chunk in _chunks(job, ctx, skip=job.resume_after):
            _store_chunk(runtime, job, chunk)
        _finish(runtime, job)
    except FileRejected as exc:
        with runtime.work(job.correlation_id) as uow:
            store.insert_findings(uow.session, job.batch_id, [Finding(0, "", "", exc.reason)])
        _finish(runtime, job, failure=exc.reason[: store.MAX_TEXT])
    except Exception as exc:
        log.exception("import_failed", batch_id=job.batch_id)
        _finish(runtime, job, failure=f"import stopped: {type(exc).__name__}")


def unfinished_jobs(runtime: Runtime) -> list[Job]:
    """Batches a stopped process left ``received`` or ``running``, ready to run again.

    An all-or-nothing batch stopped before its first chunk was stored starts over (its
    check pass is repeated, so the problems it recorded are cleared first).
    """
    jobs = []
    with runtime.work() as uow:
        for batch in store.unfinished_batches(uow.session):
            agreement = (
                agreements.get_agreement(uow.session, batch.client_id, batch.agreement_id)
                if batch.agreement_id
                else None
            )
            path = archive_of(runtime).verified(batch.client_id, batch.sha256)
            if batch.all_or_nothing and not batch.rows_processed:
                store.delete_errors(uow.session, batch.id)
                batch.rows_total = batch.rows_rejected = batch.rows_with_warnings = 0
                batch.bytes_read = 0
                uow.session.add(batch)
            jobs.append(
                Job(
                    batch_id=batch.id,
                    client_id=batch.client_id,
                    agreement_id=batch.agreement_id,
                    mapping=dict(agreement.column_mapping) if agreement else {},
                    all_or_nothing=batch.all_or_nothing,
                    path=path,
                    resume_after=batch.rows_processed,
                    strict=batch.strict,
                    as_of=batch.as_of,
                )
            )
    return jobs


def resume_unfinished(runtime: Runtime) -> int:
    """Run again every import a stopped process left unfinished; returns how many."""
    jobs = unfinished_jobs(runtime)
    for job in jobs:
        log.info("import_resumed", batch_id=job.batch_id, after_rows=job.resume_after)
        run(runtime, job)
    return len(jobs)


def _chunks(job: Job, ctx: RowContext, skip: int = 0) -> Iterator[Chunk]:
    """Rows a chunk at a time: ``chunk_rows`` rows, or fewer when the rows are wide
    (about ``CHUNK_BYTES`` of the file, looked at every ``POSITION_EVERY`` rows), so
    memory stays bounded either way. The first
    ``skip`` rows are read (a later row may repeat one of them) but not in any chunk."""
    with open_case_file(job.path) as src:
        column = layout(src.headers, job.mapping).header_of("account_ref") or "account_ref"
        chunk = Chunk(bytes_read=src.position(), account_column=column)
        for read, (_line, case, findings) in enumerate(case_rows(src, job.mapping, ctx), 1):
            if read <= skip:
                if read == skip:
                    chunk = Chunk(bytes_read=src.position(), account_column=column)
                continue
            chunk.rows += 1
            if case is not None:
                chunk.valid.append(case)
            chunk.findings.extend(findings)
            full = chunk.rows >= job.chunk_rows
            if not full and chunk.rows % POSITION_EVERY:
                continue
            position = src.position()
            if full or position - chunk.bytes_read >= CHUNK_BYTES:
                chunk.bytes_read = position
                yield chunk
                chunk = Chunk(bytes_read=position, account_column=column)
        if chunk.rows:
            chunk.bytes_read = src.position()
            yield chunk


def _check_whole_file(runtime: Runtime, job: Job, ctx: RowContext) -> bool:
    """All-or-nothing, first pass: record every finding; True when none is an error
    (warnings do not stop the import; the import pass records them again, so a clean
    pass clears what it recorded)."""
    clean = True
    for chunk in _chunks(job, ctx):
        with runtime.work(job.correlation_id) as uow:
            batch = _batch(uow, job)
            batch.rows_total += chunk.rows
            batch.rows_rejected += rejected_rows(chunk.findings)
            batch.rows_with_warnings += warned_rows(chunk.findings)
            batch.bytes_read = chunk.bytes_read
            store.insert_findings(uow.session, job.batch_id, chunk.findings)
        clean = clean and not rejected_rows(chunk.findings)
    if clean:
        with runtime.work(job.correlation_id) as uow:
            batch = _batch(uow, job)
            batch.rows_total = batch.rows_with_warnings = 0  # counted again by the import pass
            store.delete_errors(uow.session, job.batch_id)
    return clean


def _store_chunk(runtime: Runtime, job: Job, chunk: Chunk) -> None:
    """One transaction per chunk; retried once if a concurrent file created one of its cases."""
    for attempt in (1, 2):
        try:
            with runtime.work(job.correlation_id) as uow:
                write_chunk(uow, job.target, _batch(uow, job), chunk)
            runtime.relay.wake()  # the chunk's CaseImported went in without uow.emit
            return
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("chunk_retried_after_concurrent_insert", batch_id=job.batch_id)


def _finish(runtime: Runtime, job: Job, failure: str | None = None) -> None:
    with runtime.work(job.correlation_id) as uow:
        batch = _batch(uow, job)
        batch.completed_at = uow.now
        if failure is not None:
            batch.state, batch.failure = "failed", failure
            if batch.rows_imported == batch.rows_updated == 0 and not batch.rows_total:
                batch.rows_total = batch.rows_rejected
            uow.session.add(batch)
            log.warning("import_failed_whole", batch_id=job.batch_id, reason=failure)
            return
        batch.state = "completed"
        uow.session.add(batch)
        uow.emit(
            ImportCompleted(
                client_id=batch.client_id,
                batch_id=batch.id,
                rows_total=batch.rows_total,
                rows_imported=batch.rows_imported,
                rows_updated=batch.rows_updated,
                rows_rejected=batch.rows_rejected,
                received_at=batch.received_at,
                completed_at=uow.now,
                entry_overdue=domain.entry_overdue(batch.received_at, uow.now),
            ),
            case_id=None,
        )


def _batch(uow: UnitOfWork, job: Job) -> ImportBatch:
    batch = uow.session.get(ImportBatch, job.batch_id)
    if batch is None:  # the caller created it; only a bug gets here
        raise LookupError(job.batch_id)
    return batch
