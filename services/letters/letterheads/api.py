"""Per-client letterheads and seals (admins)."""

from __future__ import annotations

from fastapi import APIRouter

from services.letters.access import SettingsDep
from services.letters.letterheads.models import Letterhead
from services.letters.letterheads.schemas import LetterheadIn, LetterheadPublic
from services.letters.stores import SEALS, store
from shared.auth.principal import Role, Scope
from shared.auth.web import ClientInScopeDep, PrincipalDep, access
from shared.errors import NotFound, ProblemError
from shared.web.deps import ReaderDep, WorkDep
from shared.web.files import NonEmptyUpload, file_types

router = APIRouter()
ADMIN = access(Role.ADMIN)
ADMIN_WRITES = access(Role.ADMIN, scope=Scope.ALL)
IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


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
