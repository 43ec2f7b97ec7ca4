"""Recordings of a case's calls and visits: uploaded before the attempt that names them,
streamed back only to the case's desk (its collector, their lead and supervisor, admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from fastapi.responses import FileResponse

from services.contact.access import CASE_WRITES, DeskCaseDep, DeskPrincipalDep, SettingsDep
from services.contact.recordings import store
from services.contact.recordings.domain import MEDIA_TYPES
from services.contact.recordings.schemas import UPLOAD_ANSWERS, RecordingPublic
from services.contact.recordings.service import recording_store, take_upload
from shared.auth.web import ANY_STAFF
from shared.errors import NotFound, Problem, ProblemError
from shared.filestore import StoredFileMissing
from shared.web.deps import ReaderDep, RuntimeDep
from shared.web.files import NonEmptyUpload

router = APIRouter(prefix="/cases", tags=["recordings"])
Sha256 = Annotated[str, Path(min_length=64, max_length=64, pattern="^[0-9a-fA-F]{64}$")]


@router.post(
    "/{case_id}/recordings",
    status_code=status.HTTP_201_CREATED,
    response_model=RecordingPublic,
    summary="Upload a call recording (wav, mp3, m4a, amr); name its hash when logging the call",
    description="Checked by content, size-limited, kept by SHA-256 in two copies. The same "
    "bytes again answer 200 with the recording already kept.",
    dependencies=[CASE_WRITES],
    responses=UPLOAD_ANSWERS,
)
def upload_recording(
    file: NonEmptyUpload,
    case: DeskCaseDep,
    principal: DeskPrincipalDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    response: Response,
) -> RecordingPublic:
    public, new = take_upload(runtime, settings, case.id, file.file, principal.subject)
    if not new:
        response.status_code = status.HTTP_200_OK
    return public


@router.get(
    "/{case_id}/recordings",
    response_model=list[RecordingPublic],
    summary="The case's recordings, latest first",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def list_recordings(case: DeskCaseDep, session: ReaderDep) -> list[RecordingPublic]:
    return [
        RecordingPublic.model_validate(r, from_attributes=True)
        for r in store.recordings_of(session, case.id)
    ]


@router.get(
    "/{case_id}/recordings/{sha256}",
    response_class=FileResponse,
    summary="Listen to a recording (the bytes are checked against their SHA-256 first)",
    description="A damaged or missing first copy is served from the second (and logged).",
    dependencies=[ANY_STAFF],
    responses={
        200: {"content": {m: {} for m in MEDIA_TYPES.values()}, "description": "The audio"},
        404: {"model": Problem},
        503: {"model": Problem, "description": "Neither copy is intact"},
    },
)
def get_recording(
    sha256: Sha256, case: DeskCaseDep, session: ReaderDep, settings: SettingsDep
) -> FileResponse:
    recording = store.recording(session, case.id, sha256.lower())
    if recording is None:
        raise NotFound("recording")
    try:
        path = recording_store(settings).verified(case.id, recording.sha256)
    except StoredFileMissing as exc:
        raise ProblemError(503, "neither copy of this recording is intact") from exc
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(recording.format, "application/octet-stream"),
        headers={
            "Content-Disposition": f'attachment; filename="{recording.sha256}.{recording.format}"',
            "X-Content-SHA256": recording.sha256,
        },
    )
