"""Intake's HTTP routes: banks post case files and read their batches."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, UploadFile, status
from pydantic import BaseModel

from services.intake import service, store
from services.intake.archive import FileArchive
from services.intake.models import Case, ImportBatch
from shared.errors import NotFound, Problem, ProblemError
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(prefix="/clients/{client_id}", tags=["case files"])
ClientId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="The client's code, e.g. ICBC-SH")
]


class BatchPublic(BaseModel):
    id: str
    client_id: str
    filename: str
    sha256: str
    size_bytes: int
    state: str
    received_at: datetime
    completed_at: datetime | None
    rows_total: int
    rows_imported: int
    rows_updated: int
    rows_rejected: int

    @classmethod
    def of(cls, batch: ImportBatch) -> BatchPublic:
        return cls.model_validate(batch, from_attributes=True)


class CasePublic(BaseModel):
    id: str
    client_id: str
    account_ref: str
    batch_id: str
    total_owed: Decimal
    overdue_since: str | None
    received_at: datetime

    @classmethod
    def of(cls, case: Case) -> CasePublic:
        return cls.model_validate(case, from_attributes=True)


def _archive(request: Request) -> FileArchive:
    return FileArchive(*request.app.state.runtime.settings.archive_dirs)


@router.post(
    "/case-files",
    status_code=status.HTTP_201_CREATED,
    response_model=BatchPublic,
    summary="Post a case file (CSV)",
    description=(
        "Upload a CSV case file as multipart field `file`. Headers may be Chinese or English "
        "(卡号/account_ref, 姓名/debtor_name, 欠款总额/total_owed, 证件号码, 手机号, 首次逾期日). "
        "Every row is validated first; if any row is invalid nothing is imported and the "
        "answer lists each problem by row, column and value. Posting the same bytes again "
        "returns the first batch (200) and imports nothing."
    ),
    responses={
        200: {"model": BatchPublic, "description": "Same file already imported"},
        413: {"model": Problem},
        422: {"model": Problem, "description": "Invalid file; per-row errors listed"},
    },
)
def post_case_file(
    client_id: ClientId, file: UploadFile, request: Request, response: Response, uow: WorkDep
) -> BatchPublic:
    limit = request.app.state.runtime.settings.max_file_bytes
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise ProblemError(413, f"file larger than {limit} bytes")
    if not content:
        raise ProblemError(422, "the uploaded file is empty")
    batch, created = service.import_case_file(
        uow, _archive(request), client_id, file.filename or "case-file.csv", content
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return BatchPublic.of(batch)


@router.get(
    "/case-files/{batch_id}",
    response_model=BatchPublic,
    summary="Read a batch",
    responses={404: {"model": Problem}},
)
def get_case_file(client_id: ClientId, batch_id: str, session: ReaderDep) -> BatchPublic:
    batch = store.get_batch(session, client_id, batch_id)
    if batch is None:
        raise NotFound("batch")
    return BatchPublic.of(batch)


@router.get(
    "/cases/{account_ref}",
    response_model=CasePublic,
    tags=["cases"],
    summary="Find a case by the client's account reference",
    responses={404: {"model": Problem}},
)
def get_case(client_id: ClientId, account_ref: str, session: ReaderDep) -> CasePublic:
    case = store.case_by_account(session, client_id, account_ref)
    if case is None:
        raise NotFound("case")
    return CasePublic.of(case)
