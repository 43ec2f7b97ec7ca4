"""Case files: a bank posts them and reads their batches and error reports; admins fetch
the raw file back from the archive."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, Header, Request, Response, status
from fastapi.responses import FileResponse, StreamingResponse
from pydantic.json_schema import SkipJsonSchema

from services.intake.access import (
    BACK_OFFICE,
    BACK_OFFICE_OR_OWN_BANK,
    NOT_FOUND,
    OWN_BANK_WRITES,
    ObjectId,
    problem,
)
from services.intake.case_files import pipeline, store
from services.intake.case_files.accept import CaseFilePost, accept
from services.intake.case_files.archive import archive_of
from services.intake.case_files.error_report import error_report
from services.intake.case_files.models import ImportBatch
from services.intake.case_files.schemas import BatchPublic
from services.intake.clients import store as clients
from shared.auth.web import ClientInScopeDep, current_principal
from shared.errors import NotFound, ProblemError
from shared.filestore import StoredFileMissing
from shared.logging import correlation_id_var
from shared.runtime import Runtime
from shared.uploads import discard, spool_upload
from shared.web.deps import RuntimeDep
from shared.web.files import NonEmptyUpload
from shared.web.paging import After, Limit, Page

router = APIRouter(prefix="/clients/{client_id}/case-files", tags=["case files"])
ERRORS_SHOWN = 1000

DESCRIPTION = """
Upload a case file as multipart field `file` with the client's `X-API-Key` (or a
back-office token). CSV (UTF-8 with or without BOM, GBK/GB18030), XLSX or JSON Lines,
recognised by content. Columns are matched through the agreement's column mapping on top
of the default Chinese/English headers.

* **Agreement**: form field `agreement_id`; may be left out when the client has exactly one
  active agreement (or none on file yet).
* **As-of date**: the day the bank extracted the file. Days past due and every "not in
  the future" check are measured against it: the file's as-of column (委案日期, 数据日期,
  截止日期, …), else the form field `as_of` (YYYY-MM-DD), else the day received. An as-of
  date after the day received is an error.
* **Errors and warnings**: a row with an *error* (no account reference or debtor name; a
  missing, negative or unreadable total owed or overdue date; a duplicate account) is
  rejected. Any other problem is a *warning*: the case imports with that field left
  empty, and the finding is listed in the error report. An agreement with `strict: true`
  turns warnings into errors.
* **Modes**: by default rows without errors import and every finding goes to the error
  report (`errors_url`); with `all_or_nothing=true` the whole file is validated first and
  imported only if no row has an error (otherwise `422`, and the batch is `failed`).
* **Idempotent**: the same bytes again answer the first batch with `200` and import nothing;
  an `Idempotency-Key` header repeats the first answer for the same file and answers `409`
  when reused for a different one.
* **Sync or background**: files up to the service's synchronous limit (4 MiB by default)
  are imported within the request (`201`, batch completed or failed); larger ones answer
  `202` at once with the batch (`Location` header) and import in the background: poll the
  batch for `state` and `progress`.
"""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=BatchPublic,
    summary="Post a case file (CSV, XLSX or JSON Lines)",
    description=DESCRIPTION,
    dependencies=[OWN_BANK_WRITES],
    responses={
        200: {"model": BatchPublic, "description": "This file (or key) was posted before"},
        202: {"model": BatchPublic, "description": "Large file: importing in the background"},
        404: problem("No such active client or agreement, or not yours"),
        409: problem(
            "Idempotency-Key reused for another file, no active agreement, or several "
            "(name one in `agreement_id`)"
        ),
        413: problem("File larger than the limit"),
        415: problem("Not a case file by its content"),
        422: problem("Unreadable layout, or all-or-nothing with invalid rows (listed)"),
    },
)
def post_case_file(
    request: Request,
    scoped: ClientInScopeDep,
    file: NonEmptyUpload,
    runtime: RuntimeDep,
    response: Response,
    background: BackgroundTasks,
    agreement_id: Annotated[str | SkipJsonSchema[None], Form(max_length=36)] = None,
    all_or_nothing: Annotated[bool, Form()] = False,
    as_of: Annotated[
        date | SkipJsonSchema[None],
        Form(description="The day the bank extracted the file, when it has no as-of column"),
    ] = None,
    offline_incident_id: Annotated[
        str | SkipJsonSchema[None],
        Form(
            max_length=36,
            description="Offline intake (admins and HQ): the file was carried in after the "
            "bank's data transfer failed; names the `data_transfer_failure` incident",
        ),
    ] = None,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
    ] = None,
) -> BatchPublic:
    received_at = runtime.clock()
    settings = runtime.settings
    if offline_incident_id and current_principal(request).is_bank:
        raise ProblemError(403, "offline intake is the admin's: a bank posts its files itself")
    upload = spool_upload(file.file, settings.data_dir / "incoming", settings.max_file_bytes)  # type: ignore[attr-defined]
    try:
        accepted = accept(
            runtime,
            CaseFilePost(
                client_id=scoped,
                filename=file.filename or "case-file",
                upload=upload,
                received_at=received_at,
                agreement_id=agreement_id or None,
                all_or_nothing=all_or_nothing,
                idempotency_key=idempotency_key,
                correlation_id=correlation_id_var.get(),
                as_of=as_of,
                offline_incident_id=offline_incident_id or None,
            ),
        )
    finally:
        discard(upload)
    job = accepted.job
    if job is None:
        response.status_code = status.HTTP_200_OK
        return BatchPublic.of(accepted.batch, runtime.clock())
    if upload.size > settings.sync_max_bytes:  # type: ignore[attr-defined]
        background.add_task(pipeline.run, runtime, job)
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/clients/{scoped}/case-files/{job.batch_id}"
        return BatchPublic.of(accepted.batch, runtime.clock())
    pipeline.run(runtime, job)
    batch = _reread(runtime, scoped, job.batch_id)
    if batch.state == "failed" and batch.rows_imported == batch.rows_updated == 0:
        _refuse(runtime, batch)
    return BatchPublic.of(batch, runtime.clock())


def _reread(runtime: Runtime, client_id: str, batch_id: str) -> ImportBatch:
    with runtime.db.reader() as session:
        batch = store.get_batch(session, client_id, batch_id)
    if batch is None:
        raise NotFound("batch")
    return batch


def _refuse(runtime: Runtime, batch: ImportBatch) -> None:
    with runtime.db.reader() as session:
        shown = store.first_errors(session, batch.id, ERRORS_SHOWN)
    url = f"/clients/{batch.client_id}/case-files/{batch.id}"
    raise ProblemError(
        422,
        f"{batch.rows_rejected} invalid row(s) in {batch.filename}; nothing was imported "
        f"({batch.failure}). Full report: {url}/errors.csv",
        title="Invalid case file",
        errors=[
            {
                "row": e.row,
                "bank_row": e.bank_row,
                "severity": e.severity,
                "column": e.column,
                "value": e.value,
                "reason": e.reason,
            }
            for e in shown
        ],
        headers={"Location": url},
    )


@router.get(
    "",
    response_model=Page[BatchPublic],
    summary="The client's case files (batches), newest first",
    description="Keyset pages: pass `next_cursor` as `after`.",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={**NOT_FOUND, 422: problem("A limit or cursor this list does not take")},
)
def list_case_files(
    scoped: ClientInScopeDep, runtime: RuntimeDep, limit: Limit = 50, after: After = None
) -> Page[BatchPublic]:
    with runtime.db.reader() as session:
        if clients.get_client(session, scoped) is None:
            raise NotFound("client")
        batches, cursor = store.page_batches(session, scoped, limit, after)
    now = runtime.clock()
    return Page(items=[BatchPublic.of(b, now) for b in batches], next_cursor=cursor)


@router.get(
    "/{batch_id}",
    response_model=BatchPublic,
    summary="Read a batch: state, progress, row counts, the 2-hour entry clock",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_case_file(scoped: ClientInScopeDep, batch_id: ObjectId, runtime: RuntimeDep) -> BatchPublic:
    return BatchPublic.of(_reread(runtime, scoped, batch_id), runtime.clock())


@router.get(
    "/{batch_id}/errors.csv",
    response_class=StreamingResponse,
    summary="Download a batch's error report (CSV, UTF-8 with BOM)",
    description=(
        "One line per finding: the file line (the header is line 1), the bank's own row "
        "number when the file has a 序号/行号 column, severity (`error`: the row was "
        "rejected; `warning`: imported with that field left empty), column, value, reason. "
        "Cells that a spreadsheet could run as a formula start with an apostrophe."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={**NOT_FOUND, 200: {"content": {"text/csv": {}}, "description": "The report"}},
)
def get_error_report(
    scoped: ClientInScopeDep, batch_id: ObjectId, runtime: RuntimeDep
) -> StreamingResponse:
    batch = _reread(runtime, scoped, batch_id)

    def produce():  # type: ignore[no-untyped-def]
        with runtime.db.reader() as session:
            yield from error_report(store.batch_errors(session, batch.id), batch.bank_row_header)

    return StreamingResponse(
        produce(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="errors-{batch.id}.csv"'},
    )


@router.get(
    "/{batch_id}/raw",
    response_class=FileResponse,
    summary="Download the file exactly as received (admins and HQ)",
    description=(
        "The bytes are checked against the SHA-256 taken on receipt; if the primary copy is "
        "missing or damaged the backup copy is served (and the fault logged)."
    ),
    dependencies=[BACK_OFFICE],
    responses={
        **NOT_FOUND,
        200: {"content": {"application/octet-stream": {}}, "description": "The file"},
        503: problem("Neither archive copy is intact"),
    },
)
def get_raw_file(
    request: Request,
    scoped: ClientInScopeDep,
    batch_id: ObjectId,
    runtime: RuntimeDep,
) -> FileResponse:
    batch = _reread(runtime, scoped, batch_id)
    try:
        path = archive_of(runtime).verified(batch.client_id, batch.sha256)
    except StoredFileMissing as exc:
        raise ProblemError(503, "neither archive copy of this file is intact") from exc
    name = quote(batch.filename, safe="")
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-SHA256": batch.sha256,
        },
    )
