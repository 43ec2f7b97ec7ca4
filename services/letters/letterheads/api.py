"""Per-client letterheads and seals (admins)."""

from __future__ import annotations

from fastapi import APIRouter

from services.letters.access import SettingsDep
from services.letters.letterheads.schemas import LetterheadIn, LetterheadPublic
from services.letters.letterheads.service import letterhead_of, set_letterhead, set_seal
from shared.auth.principal import Role, Scope
from shared.auth.web import ClientInScopeDep, PrincipalDep, access
from shared.errors import NotFound
from shared.web.deps import ReaderDep, WorkDep
from shared.web.files import NonEmptyUpload, file_types

router = APIRouter()
ADMIN = access(Role.ADMIN)
ADMIN_WRITES = access(Role.ADMIN, scope=Scope.ALL)


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
    head = set_letterhead(uow, client_id, body.model_dump(), who.subject)
    return LetterheadPublic(**head.model_dump())


@router.get(
    "/clients/{client_id}/letterhead",
    response_model=LetterheadPublic,
    tags=["letterheads"],
    summary="A client's letterhead",
    dependencies=[ADMIN],
)
def get_letterhead(client_id: ClientInScopeDep, session: ReaderDep) -> LetterheadPublic:
    head = letterhead_of(session, client_id)
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
    head = set_seal(uow, settings, client_id, file.file.read(), who.subject)
    return LetterheadPublic(**head.model_dump())
