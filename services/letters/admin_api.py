"""Per-client letterheads and seals (admins), letters for many cases at once, and the
cases whose limitation period ends soon."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, RootModel
from sqlalchemy import select

from services.letters.access import BATCH, DESK, SettingsDep
from services.letters.issuing import Request, draft, issue_all, kind_named, per_kind
from services.letters.models import LetterCase, Letterhead
from services.letters.stores import SEALS, store
from shared.auth.policy import CaseScope, can_see_case, within_reach
from shared.auth.principal import Role, Scope
from shared.auth.web import ClientInScopeDep, PrincipalDep, ReachDep, access
from shared.clock import UtcDatetime, to_local
from shared.errors import NotFound, ProblemError
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep
from shared.web.files import NonEmptyUpload, file_types

router = APIRouter()
ADMIN = access(Role.ADMIN)
ADMIN_WRITES = access(Role.ADMIN, scope=Scope.ALL)
IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class LetterheadIn(BaseModel):
    name: str = Field(max_length=200, description="The creditor as letters name it")
    address: str = Field(max_length=500)
    phone: str = Field(max_length=64)
    dispute_phone: str = Field(max_length=64, description="Where debtors check and dispute")
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=200)
    payment_account: str | None = Field(default=None, max_length=500)


class LetterheadPublic(LetterheadIn):
    client_id: str
    seal_sha256: str | None
    updated_at: UtcDatetime
    updated_by: str


@router.put(
    "/clients/{client_id}/letterhead",
    response_model=LetterheadPublic,
    tags=["letterheads"],
    summary="Set a client's letterhead and contact details",
    dependencies=[ADMIN_WRITES],
)
def put_letterhead(
    client_id: ClientInScopeDep, body: LetterheadIn, uow: WorkDep, who: PrincipalDep
) -> LetterheadPublic:
    head = uow.session.get(Letterhead, client_id) or Letterhead(
        client_id=client_id, updated_at=uow.now, updated_by=who.subject, **body.model_dump()
    )
    for name, value in body.model_dump().items():
        setattr(head, name, value)
    head.updated_at, head.updated_by = uow.now, who.subject
    uow.session.add(head)
    return LetterheadPublic(**head.model_dump())


@router.get(
    "/clients/{client_id}/letterhead",
    response_model=LetterheadPublic,
    tags=["letterheads"],
    summary="A client's letterhead",
    dependencies=[ADMIN],
)
def get_letterhead(client_id: ClientInScopeDep, session: ReaderDep) -> LetterheadPublic:
    head = session.get(Letterhead, client_id)
    if head is None:
        raise NotFound("letterhead")
    return LetterheadPublic(**head.model_dump())


@router.put(
    "/clients/{client_id}/letterhead/seal",
    response_model=LetterheadPublic,
    tags=["letterheads"],
    summary="Upload the client's seal image (PNG or JPEG)",
    description="Multipart part `file`, a PNG or JPEG image, told by its content (else 415).",
    dependencies=[ADMIN_WRITES],
    openapi_extra=file_types("file", "image/png", "image/jpeg"),
)
def put_seal(
    client_id: ClientInScopeDep,
    file: NonEmptyUpload,
    uow: WorkDep,
    settings: SettingsDep,
    who: PrincipalDep,
) -> LetterheadPublic:
    head = uow.session.get(Letterhead, client_id)
    if head is None:
        raise ProblemError(409, f"set the letterhead of {client_id} before its seal")
    content = file.file.read()
    if not any(content.startswith(magic) for magic in IMAGE_TYPES):
        raise ProblemError(415, "the seal must be a PNG or JPEG image")
    head.seal_sha256, _ = store(settings, SEALS).store_bytes(client_id, content)
    head.updated_at, head.updated_by = uow.now, who.subject
    uow.session.add(head)
    return LetterheadPublic(**head.model_dump())


class BatchCases(BaseModel):
    case_ids: list[str] = Field(
        min_length=1, description="Cases to write to (at most LETTERS_BATCH_MAX_CASES)"
    )


class BatchIn(RootModel[per_kind("BatchIn", BatchCases)]):  # type: ignore[misc]
    """One ``kind`` with that kind's own ``fields``, the same for every letter."""


class BatchOutcome(BaseModel):
    issued: dict[str, str] = Field(description="case id → letter id")
    skipped: dict[str, str] = Field(description="case id → why no letter")


@router.post(
    "/letters/batches",
    response_model=BatchOutcome,
    status_code=201,
    tags=["letters"],
    summary="Issue one kind of letter to many cases",
    dependencies=[access(BATCH, scope=Scope.TEAM)],
)
def issue_batch(
    body: BatchIn,
    uow: WorkDep,
    who: PrincipalDep,
    reach: ReachDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
) -> BatchOutcome:
    batch = body.root
    if len(batch.case_ids) > settings.batch_max_cases:
        raise ProblemError(422, f"at most {settings.batch_max_cases} cases per batch")
    kind = kind_named(batch.kind)
    request = Request(kind, batch.fields.model_dump(), kind.party)
    vis = runtime.parts.security.case_visibility
    scopes = {
        row.case_id: CaseScope(
            row.case_id, row.client_id, row.collector_id, row.team_id, row.branch_id
        )
        for row in uow.session.execute(select(vis).where(vis.c.case_id.in_(batch.case_ids)))
    }
    drafts, skipped = [], {}
    for case_id in dict.fromkeys(batch.case_ids):
        scope = scopes.get(case_id)
        mine = scope is not None and within_reach(who, reach, scope)
        case = uow.session.get(LetterCase, case_id) if mine else None
        if case is None:
            skipped[case_id] = "case not found"
            continue
        try:
            drafts.append(draft(uow, settings, case, request))
        except ProblemError as exc:  # no letterhead, no recipient name
            skipped[case_id] = str(exc)
    letters = issue_all(uow, settings, drafts, by=who.subject, why="batch")
    return BatchOutcome(issued={x.case_id: x.id for x in letters}, skipped=skipped)


class EndingCase(BaseModel):
    case_id: str
    client_id: str
    collector_id: str | None
    limitation_ends_on: date
    days_left: int


@router.get(
    "/limitation/ending",
    response_model=list[EndingCase],
    tags=["cases"],
    summary="Cases whose limitation period ends within the given days (those you may see)",
    dependencies=[access(DESK)],
)
def ending_soon(
    session: ReaderDep,
    who: PrincipalDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    within_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
) -> list[EndingCase]:
    today = to_local(runtime.clock()).date()
    until = today + timedelta(days=within_days or settings.limitation_warning_days)
    vis = runtime.parts.security.case_visibility
    rows = session.execute(
        select(LetterCase, vis.c.collector_id, vis.c.team_id, vis.c.branch_id)
        .join(vis, vis.c.case_id == LetterCase.id)
        .where(LetterCase.limitation_ends_on <= until)  # type: ignore[operator]
        .order_by(LetterCase.limitation_ends_on, LetterCase.id)
    ).all()
    return [
        EndingCase(
            case_id=case.id,
            client_id=case.client_id,
            collector_id=collector_id,
            limitation_ends_on=case.limitation_ends_on,
            days_left=(case.limitation_ends_on - today).days,
        )
        for case, collector_id, team_id, branch_id in rows
        if can_see_case(who, CaseScope(case.id, case.client_id, collector_id, team_id, branch_id))
    ]
