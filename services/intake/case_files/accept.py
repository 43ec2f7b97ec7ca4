"""Accepting a posted case file: idempotency, the agreement, the as-of date, a first look
at the headers, the archive, and the batch that the pipeline then fills in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.intake.agreements.service import agreement_for_file
from services.intake.case_files import store
from services.intake.case_files.archive import archive_of
from services.intake.case_files.models import ImportBatch
from services.intake.case_files.parsing.file import FileRejected, layout, open_case_file
from services.intake.case_files.parsing.validation import as_of_problem
from services.intake.case_files.pipeline import Job
from services.intake.clients import store as clients
from shared.clock import to_local
from shared.errors import Conflict, NotFound, ProblemError
from shared.runtime import Runtime
from shared.uploads import SpooledUpload

PEEK_ROWS = 50


@dataclass(frozen=True)
class CaseFilePost:
    """A case file as a bank posted it, with the form fields and headers it came with."""

    client_id: str
    filename: str
    upload: SpooledUpload
    received_at: datetime
    agreement_id: str | None = None
    all_or_nothing: bool = False
    idempotency_key: str | None = None
    correlation_id: str | None = None
    as_of: date | None = None
    offline_incident_id: str | None = None


@dataclass(frozen=True)
class Accepted:
    batch: ImportBatch
    job: Job | None  # None when the file was received before: nothing to do

    @property
    def created(self) -> bool:
        return self.job is not None


def accept(runtime: Runtime, post: CaseFilePost) -> Accepted:
    with runtime.db.reader() as session:
        client = clients.get_client(session, post.client_id)
        if client is None or not client.active:
            raise NotFound("client")
        earlier = _earlier(session, post)
        if earlier is not None:
            return Accepted(earlier, None)
        agreement = agreement_for_file(session, post.client_id, post.agreement_id)
    if post.as_of is not None and (
        problem := as_of_problem(post.as_of, to_local(post.received_at).date())
    ):
        raise ProblemError(422, problem, title="Invalid as_of")
    mapping = dict(agreement.column_mapping) if agreement else {}
    strict = bool(agreement and agreement.strict)
    bank_row_header = check_headers(post.upload, mapping)
    archive = archive_of(runtime)
    primary, _backup = archive.store_file(post.client_id, post.upload.sha256, post.upload.path)
    batch = ImportBatch(
        id=str(uuid.uuid4()),
        client_id=post.client_id,
        agreement_id=agreement.id if agreement else None,
        filename=post.filename[:255],
        sha256=post.upload.sha256,
        size_bytes=post.upload.size,
        idempotency_key=post.idempotency_key,
        all_or_nothing=post.all_or_nothing,
        strict=strict,
        as_of=post.as_of,
        offline_incident_id=post.offline_incident_id,
        bank_row_header=bank_row_header,
        received_at=post.received_at,
        state="received",
    )
    try:
        with runtime.work(post.correlation_id) as uow:
            uow.session.add(batch)
    except IntegrityError:  # the same file or key, posted concurrently
        with runtime.db.reader() as session:
            earlier = _earlier(session, post)
        if earlier is None:
            raise
        return Accepted(earlier, None)
    job = Job(
        batch_id=batch.id,
        client_id=post.client_id,
        agreement_id=batch.agreement_id,
        mapping=mapping,
        all_or_nothing=post.all_or_nothing,
        path=primary,
        correlation_id=post.correlation_id,
        strict=strict,
        as_of=post.as_of,
    )
    return Accepted(batch, job)


def _earlier(session: Session, post: CaseFilePost) -> ImportBatch | None:
    """The batch these bytes (or this Idempotency-Key) already made, if any."""
    sha256 = post.upload.sha256
    if post.idempotency_key:
        keyed = store.batch_by_key(session, post.client_id, post.idempotency_key)
        if keyed is not None:
            if keyed.sha256 != sha256:
                raise Conflict("this Idempotency-Key was used for a different file; use a new key")
            return keyed
    return store.batch_by_hash(session, post.client_id, sha256)


def check_headers(upload: SpooledUpload, mapping: dict[str, str]) -> str | None:
    """Refuse at once a file that cannot be read or lacks a required column; answers the
    header of the bank's own row-number column (序号), if the file has one."""
    try:
        with open_case_file(upload.path) as src:
            for _ in islice(src.rows, PEEK_ROWS):  # binary content shows within a few rows
                pass
            shape = layout(src.headers, mapping)
    except FileRejected as exc:
        title = {413: "Case file too large", 422: "Invalid case file"}.get(exc.status)
        raise ProblemError(
            exc.status, exc.reason, title=title or "Unsupported case file content"
        ) from exc
    if shape.missing_required:
        raise ProblemError(
            422,
            f"required column(s) missing: {', '.join(shape.missing_required)}",
            title="Invalid case file",
            errors=[
                {"row": 1, "column": name, "value": "", "reason": "required column missing"}
                for name in shape.missing_required
            ],
        )
    return shape.header_of("bank_row")
