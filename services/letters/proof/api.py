"""Keeping a letter's proof and downloading its evidence pack."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Form, Response, UploadFile
from pydantic.json_schema import SkipJsonSchema

from services.letters.access import READERS, WRITERS, LetterDep, SettingsDep
from services.letters.proof.schemas import EvidencePublic
from services.letters.proof.service import EVIDENCE_KINDS, add_evidence, evidence_pack
from shared.auth.web import PrincipalDep
from shared.errors import ProblemError
from shared.web.deps import ReaderDep, WorkDep
from shared.web.files import upload

router = APIRouter(tags=["letters"])


if TYPE_CHECKING:  # upload() makes an Annotated UploadFile when the module loads
    ProofFile = UploadFile
else:
    ProofFile = upload("A scan or photo (PDF, JPEG, PNG)")


@router.post(
    "/cases/{case_id}/letters/{letter_id}/evidence",
    status_code=201,
    response_model=EvidencePublic,
    summary="Keep a proof: mailing stub, delivery proof, signed acknowledgment",
    description="Multipart: `kind`, the `file` (a scan or photo, not empty) and, for a "
    "signed acknowledgment (`kind` `acknowledgment`), `signed_on`, the day it was signed "
    "(else 422).",
    dependencies=[WRITERS],
)
def upload_evidence(
    letter: LetterDep,
    uow: WorkDep,
    who: PrincipalDep,
    settings: SettingsDep,
    kind: Annotated[Literal[EVIDENCE_KINDS], Form()],  # type: ignore[valid-type]
    file: ProofFile,
    signed_on: Annotated[
        date | SkipJsonSchema[None], Form(description="For a signed acknowledgment")
    ] = None,
) -> EvidencePublic:
    content = file.file.read()
    if not content:
        raise ProblemError(422, "the uploaded file is empty")
    if kind == "acknowledgment" and signed_on is None:
        raise ProblemError(422, "a signed acknowledgment needs signed_on, the day it was signed")
    proof = add_evidence(
        uow,
        settings,
        letter,
        who.subject,
        kind=kind,
        content=content,
        filename=file.filename or "upload",
        media_type=file.content_type or "application/octet-stream",
        signed_on=signed_on,
    )
    return EvidencePublic(**proof.model_dump())


@router.get(
    "/cases/{case_id}/letters/{letter_id}/evidence.zip",
    summary="The letter's evidence pack",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
    dependencies=[READERS],
)
def download_evidence(
    letter: LetterDep, who: PrincipalDep, session: ReaderDep, settings: SettingsDep
) -> Response:
    pack = evidence_pack(session, settings, letter, for_bank=who.is_bank)
    return Response(
        pack,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="evidence-{letter.id}.zip"'},
    )
