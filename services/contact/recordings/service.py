"""Keeping a recording: streamed to disk while hashed, told apart by its first bytes,
stored twice by SHA-256 under its case, and linked to the attempt or visit it records."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from services.contact.recordings import store
from services.contact.recordings.domain import SNIFF_BYTES, audio_format
from services.contact.recordings.models import Recording
from services.contact.recordings.schemas import RecordingPublic
from services.contact.settings import ContactSettings
from shared.bus.work import UnitOfWork
from shared.errors import ProblemError
from shared.filestore import TwoCopyStore
from shared.logging import correlation_id_var
from shared.runtime import Runtime
from shared.uploads import SpooledUpload, discard, spool_upload

KIND = "recordings"


def recording_store(settings: ContactSettings) -> TwoCopyStore:
    return TwoCopyStore(*settings.recording_dirs, kind=KIND)


def _format_of(path: Path) -> str:
    with path.open("rb") as handle:
        found = audio_format(handle.read(SNIFF_BYTES))
    if found is None:
        raise ProblemError(415, "not a wav, mp3, m4a or amr recording by its content")
    return found


def receive(settings: ContactSettings, stream: BinaryIO) -> tuple[SpooledUpload, str]:
    """The upload spooled to disk and its audio format; 413 too big, 415 not audio."""
    upload = spool_upload(stream, settings.data_dir / "incoming", settings.recording_max_bytes)
    try:
        return upload, _format_of(upload.path)
    except BaseException:
        discard(upload)
        raise


def keep(
    uow: UnitOfWork,
    settings: ContactSettings,
    case_id: str,
    upload: SpooledUpload,
    audio: str,
    *,
    uploaded_by: str,
    visit_id: str | None = None,
) -> tuple[Recording, bool]:
    """The recording's row (made if new) after both copies are on disk; True when new."""
    recording_store(settings).store_file(case_id, upload.sha256, upload.path)
    known = store.recording(uow.session, case_id, upload.sha256)
    if known is not None:
        return known, False
    recording = Recording(
        case_id=case_id,
        sha256=upload.sha256,
        format=audio,
        size=upload.size,
        uploaded_by=uploaded_by,
        uploaded_at=uow.now,
        visit_id=visit_id,
    )
    uow.session.add(recording)
    return recording, True


def take_upload(
    runtime: Runtime,
    settings: ContactSettings,
    case_id: str,
    stream: BinaryIO,
    uploaded_by: str,
    visit_id: str | None = None,
) -> tuple[RecordingPublic, bool]:
    """Receive, check and keep an uploaded recording in its own transaction; True when new
    (201), False when the same bytes were kept before (200)."""
    upload, audio = receive(settings, stream)
    try:
        with runtime.work(correlation_id_var.get()) as uow:
            recording, new = keep(
                uow, settings, case_id, upload, audio, uploaded_by=uploaded_by, visit_id=visit_id
            )
            public = RecordingPublic.model_validate(recording, from_attributes=True)
    finally:
        discard(upload)
    return public, new


def link(
    session: Session,
    case_id: str,
    sha256: str | None,
    *,
    attempt_id: str | None = None,
    visit_id: str | None = None,
) -> None:
    """Tie an uploaded recording to the attempt (and visit) it records: 422 if the case has
    no such recording, 409 if it already records another attempt."""
    if sha256 is None:
        return
    recording = store.recording(session, case_id, sha256)
    if recording is None:
        raise ProblemError(
            422, f"no recording {sha256} on this case: upload it first (POST …/recordings)"
        )
    if recording.attempt_id is not None and recording.attempt_id != attempt_id:
        raise ProblemError(
            409, f"recording {sha256} already records attempt {recording.attempt_id}"
        )
    recording.attempt_id = attempt_id
    recording.visit_id = visit_id or recording.visit_id
    session.add(recording)
