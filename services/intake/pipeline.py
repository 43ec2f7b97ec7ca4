"""Importing a received case file, a chunk of rows per transaction.

Each chunk is validated, then stored in one transaction: new cases inserted with their
``CaseImported``, changed cases updated with their ``CaseUpdated``, rejected rows written
to ``batch_errors`` and the batch's counters moved on. A chunk is whole or absent, so no
row is ever half-written. In all-or-nothing mode a first pass validates the whole file
and the import pass runs only if it found nothing wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy.exc import IntegrityError

from services.intake import cases, source, store
from services.intake.archive import archive_of
from services.intake.models import BatchError, Case, ImportBatch
from services.intake.source import CaseValues, RowProblem
from services.intake.validation import RowContext
from shared.bus.work import UnitOfWork
from shared.clock import as_utc, to_local
from shared.events.catalog import ImportCompleted
from shared.logging import get_logger
from shared.web.runtime import Runtime

log = get_logger(__name__)
ENTRY_LIMIT = timedelta(hours=2)
CHUNK_ROWS = 1000
CHUNK_BYTES = 1024 * 1024
MAX_TEXT = 500


def entry_overdue(received_at: datetime, completed_at: datetime | None) -> bool:
    """Case data is entered within 2 hours of receipt (domain rule)."""
    return completed_at is not None and as_utc(completed_at) - as_utc(received_at) > ENTRY_LIMIT


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
    chunk_rows: int = CHUNK_ROWS
    resume_after: int = 0


@dataclass
class Chunk:
    rows: int = 0
    valid: list[tuple[int, CaseValues]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    bytes_read: int = 0

    @property
    def rejected_rows(self) -> int:
        return rejected_rows(self.problems)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def rejected_rows(findings: list[RowProblem]) -> int:
    """Rows with at least one error."""
    return len({f.row for f in findings if f.is_error})


def warned_rows(findings: list[RowProblem]) -> int:
    """Rows imported with at least one warning (and no error)."""
    errors = {f.row for f in findings if f.is_error}
    return len({f.row for f in findings if not f.is_error} - errors)


def run(runtime: Runtime, job: Job) -> None:
    """Import the file; the batch ends ``completed`` or ``failed``, never stays running.

    A resumed job (``resume_after`` rows already stored by chunks that committed before
    the process stopped) reads those rows again, for the duplicate check, but does not
    store them twice: chunk boundaries are the same on every read of the same file.
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
        read = 0
        for chunk in _chunks(job, ctx):
            read += chunk.rows
            if read > job.resume_after:
                _store_chunk(runtime, job, chunk)
        _finish(runtime, job)
    except source.FileRejected as exc:
        with runtime.work(job.correlation_id) as uow:
            _record_problems(uow, job.batch_id, [RowProblem(0, "", "", exc.reason)])
        _finish(runtime, job, failure=exc.reason[:MAX_TEXT])
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
                store.get_agreement(uow.session, batch.client_id, batch.agreement_id)
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


def _chunks(job: Job, ctx: RowContext) -> Iterator[Chunk]:
    """Rows a chunk at a time: ``chunk_rows`` rows, or fewer when the rows are wide
    (about ``CHUNK_BYTES`` of the file), so memory stays bounded either way."""
    with source.open_source(job.path) as src:
        chunk = Chunk(bytes_read=src.position())
        for number, values, problems in source.records(src, job.mapping, ctx):
            chunk.rows += 1
            if values is not None:
                chunk.valid.append((number, values))
            chunk.problems.extend(problems)
            position = src.position()
            if chunk.rows >= job.chunk_rows or position - chunk.bytes_read >= CHUNK_BYTES:
                chunk.bytes_read = position
                yield chunk
                chunk = Chunk(bytes_read=position)
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
            batch.rows_rejected += chunk.rejected_rows
            batch.rows_with_warnings += warned_rows(chunk.problems)
            batch.bytes_read = chunk.bytes_read
            _record_problems(uow, job.batch_id, chunk.problems)
        clean = clean and not chunk.has_errors
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
                _write_chunk(uow, job, chunk)
            return
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("chunk_retried_after_concurrent_insert", batch_id=job.batch_id)


def _write_chunk(uow: UnitOfWork, job: Job, chunk: Chunk) -> None:
    batch = _batch(uow, job)
    known = store.cases_by_account(
        uow.session, job.client_id, [v.account_ref for _, v in chunk.valid]
    )
    problems = list(chunk.problems)
    created: list[dict[str, Any]] = []
    for number, values in chunk.valid:
        case = known.get(values.account_ref)
        if case is None:
            row = cases.new_case_row(
                values,
                client_id=job.client_id,
                agreement_id=job.agreement_id,
                batch_id=job.batch_id,
                received_at=batch.received_at,
            )
            created.append(row)
            continue
        if case.state == "recalled":
            problems.append(_recalled(number, values, case))
            continue
        changes = cases.changes_of(case, values)
        if not changes:
            batch.rows_unchanged += 1
            continue
        new_values = {name: getattr(values, name) for name in changes}
        cases.apply_changes(uow, case, changes, new_values, batch_id=job.batch_id)
        batch.rows_updated += 1
    uow.session.flush()
    cases.insert_new(uow, created)
    cases.record_visibility(uow, created)
    for row in created:
        cases.announce_new(uow, SimpleNamespace(**row))
    _record_problems(uow, job.batch_id, problems)
    batch.rows_imported += len(created)
    batch.rows_rejected += rejected_rows(problems)
    batch.rows_with_warnings += warned_rows(problems)
    batch.rows_processed += chunk.rows
    batch.rows_total += chunk.rows
    batch.bytes_read = chunk.bytes_read
    uow.session.add(batch)


def _recalled(number: int, values: CaseValues, case: Case) -> RowProblem:
    when = to_local(case.recalled_at).date().isoformat() if case.recalled_at else "earlier"
    return RowProblem(
        number,
        "account_ref",
        values.account_ref,
        f"the case was recalled on {when}; a file does not reopen it",
    )


def _record_problems(uow: UnitOfWork, batch_id: str, problems: list[RowProblem]) -> None:
    if problems:
        uow.session.execute(
            BatchError.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "batch_id": batch_id,
                    "row": p.row,
                    "bank_row": p.bank_row,
                    "severity": p.severity,
                    "column": p.column[:200],
                    "value": p.value[:MAX_TEXT],
                    "reason": p.reason[:MAX_TEXT],
                }
                for p in problems
            ],
        )


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
                entry_overdue=entry_overdue(batch.received_at, uow.now),
            ),
            case_id=None,
        )


def _batch(uow: UnitOfWork, job: Job) -> ImportBatch:
    batch = uow.session.get(ImportBatch, job.batch_id)
    if batch is None:  # the caller created it; only a bug gets here
        raise LookupError(job.batch_id)
    return batch


def describe(batch: ImportBatch, now: datetime) -> dict[str, Any]:
    """Progress and the entry clock, for the batch resource: a batch still running is
    overdue as soon as two hours have passed since receipt."""
    done = batch.state in ("completed", "failed")
    passes = 2 if batch.all_or_nothing else 1
    progress = 1.0 if done else min(1.0, batch.bytes_read / max(1, batch.size_bytes * passes))
    clock = None
    if batch.completed_at is not None:
        clock = (as_utc(batch.completed_at) - as_utc(batch.received_at)).total_seconds()
    return {
        "progress": round(progress, 4),
        "entry_seconds": clock,
        "entry_overdue": entry_overdue(batch.received_at, batch.completed_at or now),
    }
