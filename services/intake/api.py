"""Intake's HTTP routes: back office registers clients and their keys; banks post case
files and read their batches and cases.

Every route says who may call it (``access``); every route naming a client resolves it
through ``ClientInScopeDep``, so a bank reaches only its own client and anything else
answers 404, the same as a client that does not exist.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response, UploadFile, status
from pydantic import BaseModel, Field

from services.intake import service, store
from services.intake.archive import FileArchive
from services.intake.domain import not_text_reason
from services.intake.models import CLIENT_ID_PATTERN, ApiKey, Case, Client, ImportBatch
from services.intake.pii import shown_id_number, shown_name, shown_phone
from shared.auth.principal import EVERYTHING, Principal
from shared.auth.web import ClientInScopeDep, PrincipalDep, access
from shared.clock import UtcDatetime
from shared.errors import PROBLEM_JSON, NotFound, Problem, ProblemError
from shared.web.deps import ReaderDep, WorkDep

ClientId = Annotated[
    str, Path(pattern=CLIENT_ID_PATTERN, description="The client's code, e.g. ICBC-SH")
]
# SQLite hands datetimes back without their zone; everything stored is UTC.
BACK_OFFICE = access(EVERYTHING)
BACK_OFFICE_OR_OWN_BANK = access(EVERYTHING, banks=True)


def problem(description: str) -> dict[str, Any]:
    """An error response as documented in OpenAPI: a problem document (RFC 9457)."""
    return {
        "model": Problem,
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: problem("Not found, or not yours to see")}

clients_router = APIRouter(prefix="/clients", tags=["clients"])
router = APIRouter(prefix="/clients/{client_id}", tags=["case files"])


# ---------------------------------------------------------------- clients


class ClientCreate(BaseModel):
    id: str = Field(pattern=CLIENT_ID_PATTERN, description="The client's code, e.g. ICBC-SH")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["bank", "creditor"] = Field(
        default="bank", description="A bank, or another creditor"
    )


class ClientPublic(BaseModel):
    id: str
    name: str
    kind: str
    active: bool
    created_at: UtcDatetime

    @classmethod
    def of(cls, client: Client) -> ClientPublic:
        return cls.model_validate(client, from_attributes=True)


@clients_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientPublic,
    summary="Register a client (admins and HQ)",
    dependencies=[BACK_OFFICE],
    responses={409: problem("A client with this code exists")},
)
def register_client(body: ClientCreate, uow: WorkDep) -> ClientPublic:
    return ClientPublic.of(service.register_client(uow, body.id, body.name.strip(), body.kind))


@clients_router.get(
    "",
    response_model=list[ClientPublic],
    summary="List clients (admins and HQ)",
    dependencies=[BACK_OFFICE],
)
def list_clients(session: ReaderDep) -> list[ClientPublic]:
    return [ClientPublic.of(c) for c in store.list_clients(session)]


@clients_router.get(
    "/{client_id}",
    response_model=ClientPublic,
    summary="Read a client (admins and HQ, or the client's own key)",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_client(scoped: ClientInScopeDep, client_id: ClientId, session: ReaderDep) -> ClientPublic:
    client = store.get_client(session, scoped)
    if client is None:
        raise NotFound("client")
    return ClientPublic.of(client)


# ---------------------------------------------------------------- API keys


class ApiKeyCreate(BaseModel):
    label: str = Field(
        min_length=1, max_length=100, description="What the key is for, e.g. 'nightly upload'"
    )


class ApiKeyPublic(BaseModel):
    id: str
    client_id: str
    prefix: str = Field(description="The 8 characters after `ck_`; the rest is never shown")
    label: str
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None
    last_used_at: UtcDatetime | None = Field(description="Updated at most once a minute")

    @classmethod
    def of(cls, api_key: ApiKey) -> ApiKeyPublic:
        return cls.model_validate(api_key, from_attributes=True)


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself: shown this once, never stored or shown again")


@clients_router.post(
    "/{client_id}/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    tags=["api keys"],
    summary="Create an API key for a client (admins and HQ); the key is shown once",
    description=(
        "Answers the new key in `key`, in the form `ck_<prefix>_<secret>`. Only its hash is "
        "kept: copy it now, it cannot be shown again. The bank sends it as the `X-API-Key` "
        "header; it reaches that client's resources only.\n\n"
        "**Rotation**: create a new key, switch the bank over to it, then revoke the old one "
        "with `DELETE /clients/{client_id}/api-keys/{key_id}`; both work in between."
    ),
    dependencies=[BACK_OFFICE],
    responses=NOT_FOUND,
)
def create_api_key(
    scoped: ClientInScopeDep, client_id: ClientId, body: ApiKeyCreate, uow: WorkDep
) -> ApiKeyCreated:
    api_key, made = service.create_api_key(uow, scoped, body.label.strip())
    return ApiKeyCreated(**ApiKeyPublic.of(api_key).model_dump(), key=made.key)


@clients_router.get(
    "/{client_id}/api-keys",
    response_model=list[ApiKeyPublic],
    tags=["api keys"],
    summary="List a client's API keys, without their secrets (admins and HQ)",
    dependencies=[BACK_OFFICE],
    responses=NOT_FOUND,
)
def list_api_keys(
    scoped: ClientInScopeDep, client_id: ClientId, session: ReaderDep
) -> list[ApiKeyPublic]:
    if store.get_client(session, scoped) is None:
        raise NotFound("client")
    return [ApiKeyPublic.of(k) for k in store.keys_of_client(session, scoped)]


@clients_router.delete(
    "/{client_id}/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["api keys"],
    summary="Revoke an API key at once (admins and HQ)",
    description="The key stops working immediately. Revoking a revoked key changes nothing.",
    dependencies=[BACK_OFFICE],
    responses=NOT_FOUND,
)
def revoke_api_key(
    scoped: ClientInScopeDep,
    client_id: ClientId,
    key_id: Annotated[str, Path(max_length=36)],
    uow: WorkDep,
) -> Response:
    service.revoke_api_key(uow, scoped, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- case files and cases


class BatchPublic(BaseModel):
    id: str
    client_id: str
    filename: str
    sha256: str
    size_bytes: int
    state: str
    received_at: UtcDatetime
    completed_at: UtcDatetime | None
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
    debtor_name: str = Field(description="Masked (surname only) for roles that do not need it")
    id_number: str | None = Field(
        description="Full for the bank and admins/HQ, else masked: 110101********1234"
    )
    phone: str | None = Field(description="Full for those who dial it, else masked")
    total_owed: Decimal
    overdue_since: str | None
    received_at: UtcDatetime

    @classmethod
    def of(cls, case: Case, viewer: Principal) -> CasePublic:
        return cls(
            id=case.id,
            client_id=case.client_id,
            account_ref=case.account_ref,
            batch_id=case.batch_id,
            debtor_name=shown_name(viewer, case.debtor_name),
            id_number=shown_id_number(viewer, case.id_number),
            phone=shown_phone(viewer, case.phone),
            total_owed=case.total_owed,
            overdue_since=case.overdue_since,
            received_at=case.received_at,
        )


def _archive(request: Request) -> FileArchive:
    return FileArchive(*request.app.state.runtime.settings.archive_dirs)


@router.post(
    "/case-files",
    status_code=status.HTTP_201_CREATED,
    response_model=BatchPublic,
    summary="Post a case file (CSV)",
    description=(
        "Upload a CSV case file as multipart field `file`, authenticated with the client's "
        "`X-API-Key` (or a back-office token). Headers may be Chinese or English "
        "(卡号/account_ref, 姓名/debtor_name, 欠款总额/total_owed, 证件号码, 手机号, 首次逾期日). "
        "Every row is validated first; if any row is invalid nothing is imported and the "
        "answer lists each problem by row, column and value. Posting the same bytes again "
        "returns the first batch (200) and imports nothing. The file must be text "
        "(UTF-8 or GB18030/GBK), judged by its content: anything else answers 415."
    ),
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses={
        200: {"model": BatchPublic, "description": "Same file already imported"},
        404: problem("No such active client, or not yours"),
        413: problem("File larger than the limit"),
        415: problem("Not a text file"),
        422: problem("Invalid file; per-row errors listed"),
    },
)
def post_case_file(
    scoped: ClientInScopeDep,
    client_id: ClientId,
    file: UploadFile,
    request: Request,
    response: Response,
    uow: WorkDep,
) -> BatchPublic:
    limit = request.app.state.runtime.settings.max_file_bytes
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise ProblemError(413, f"file larger than {limit} bytes")
    if not content:
        raise ProblemError(422, "the uploaded file is empty")
    reason = not_text_reason(content)
    if reason is not None:
        raise ProblemError(415, reason, title="Unsupported case file content")
    batch, created = service.import_case_file(
        uow, _archive(request), scoped, file.filename or "case-file.csv", content
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return BatchPublic.of(batch)


@router.get(
    "/case-files/{batch_id}",
    response_model=BatchPublic,
    summary="Read a batch",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_case_file(
    scoped: ClientInScopeDep,
    client_id: ClientId,
    batch_id: Annotated[str, Path(max_length=36)],
    session: ReaderDep,
) -> BatchPublic:
    batch = store.get_batch(session, scoped, batch_id)
    if batch is None:
        raise NotFound("batch")
    return BatchPublic.of(batch)


@router.get(
    "/cases/{account_ref}",
    response_model=CasePublic,
    tags=["cases"],
    summary="Find a case by the client's account reference",
    description="ID numbers, phones and names are masked for roles that do not need them.",
    dependencies=[BACK_OFFICE_OR_OWN_BANK],
    responses=NOT_FOUND,
)
def get_case(
    scoped: ClientInScopeDep,
    client_id: ClientId,
    account_ref: Annotated[str, Path(max_length=64)],
    request: Request,
    principal: PrincipalDep,
    session: ReaderDep,
) -> CasePublic:
    case = store.case_by_account(session, scoped, account_ref)
    if case is None:
        raise NotFound("case")
    request.state.audit_case_id = case.id
    return CasePublic.of(case, principal)
