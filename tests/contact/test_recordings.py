"""Recordings through the API on a real database and disk: kept by content and hash in
two copies, named by the attempt that records the call (and its event), streamed back
byte-exact to the case's desk only."""

from __future__ import annotations

import hashlib
import shutil
from typing import Any

from services.contact.recordings.service import recording_store

from .conftest import ADMIN, COLLECTOR_A, COLLECTOR_B, HQ, LEAD_T1, SUPERVISOR_T1, Desk
from .test_attempts_api import call

# A short WAV: RIFF header, then bytes no other upload of these tests repeats.
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(range(256)) * 40
AMR = b"#!AMR\n" + b"\x3c\x48\xf5\x1f" * 500


def upload(desk: Desk, content: bytes, name: str = "call.mp3", who: Any = COLLECTOR_A) -> Any:
    return desk.client.post(
        f"/cases/{desk.case_id}/recordings",
        files={"file": (name, content, "audio/mpeg")},
        headers=desk.as_(who),
    )


def test_a_call_recording_is_kept_linked_to_its_attempt_and_streamed_back_exactly(
    desk: Desk,
) -> None:
    sha = hashlib.sha256(WAV).hexdigest()
    kept = upload(desk, WAV, name="whatever.mp3")
    assert kept.status_code == 201, kept.text
    assert kept.json() | {"uploaded_at": None} == {
        "sha256": sha,
        "format": "wav",  # by content, not by the name or the declared type
        "size": len(WAV),
        "uploaded_by": COLLECTOR_A.subject,
        "uploaded_at": None,
        "attempt_id": None,
        "visit_id": None,
    }
    copies = [
        root / "recordings" / desk.case_id / f"{sha}.bin"
        for root in desk.runtime.settings.recording_dirs  # type: ignore[attr-defined]
    ]
    assert [p.read_bytes() for p in copies] == [WAV, WAV]
    assert upload(desk, WAV).status_code == 200, "the same bytes are kept once"

    logged = desk.post("/attempts", call(desk, outcome="right_party_contact", recording_sha256=sha))
    assert logged.status_code == 201, logged.text
    attempt = logged.json()
    assert attempt["recording_sha256"] == sha
    (event,) = desk.events("ContactAttempted")
    assert event.recording_sha256 == sha and event.attempt_id == attempt["id"]
    (listed,) = desk.get("/recordings").json()
    assert listed["attempt_id"] == attempt["id"]

    for who in (COLLECTOR_A, LEAD_T1, SUPERVISOR_T1, ADMIN):
        heard = desk.client.get(f"/cases/{desk.case_id}/recordings/{sha}", headers=desk.as_(who))
        assert heard.status_code == 200, (who, heard.text)
        assert hashlib.sha256(heard.content).hexdigest() == sha
        assert heard.headers["content-type"] == "audio/wav"
        assert heard.headers["x-content-sha256"] == sha


def test_a_damaged_first_copy_is_served_from_the_second(desk: Desk) -> None:
    sha = upload(desk, AMR).json()["sha256"]
    primary, backup = (
        root / "recordings" / desk.case_id / f"{sha}.bin"
        for root in desk.runtime.settings.recording_dirs  # type: ignore[attr-defined]
    )
    primary.write_bytes(b"#!AMR\n damaged")
    heard = desk.client.get(f"/cases/{desk.case_id}/recordings/{sha}", headers=desk.as_(ADMIN))
    assert heard.status_code == 200 and heard.content == AMR
    shutil.rmtree(backup.parent)
    primary.unlink()
    lost = desk.client.get(f"/cases/{desk.case_id}/recordings/{sha}", headers=desk.as_(ADMIN))
    assert lost.status_code == 503


def test_nobody_else_hears_or_adds_a_recording(desk: Desk) -> None:
    sha = upload(desk, WAV).json()["sha256"]
    path = f"/cases/{desk.case_id}/recordings"
    for who in (COLLECTOR_B, HQ):
        assert desk.client.get(f"{path}/{sha}", headers=desk.as_(who)).status_code == 404
        assert desk.client.get(path, headers=desk.as_(who)).status_code == 404
        assert upload(desk, AMR, who=who).status_code == 404
    unknown = "0" * 64
    assert desk.client.get(f"{path}/{unknown}", headers=desk.as_(ADMIN)).status_code == 404
    assert desk.client.get(f"{path}/{sha}").status_code == 401


def test_content_that_is_not_audio_or_too_big_is_refused_and_not_kept(
    make_desk: Any,
) -> None:
    desk = make_desk(recording_max_bytes=4096)
    refused = upload(desk, b"%PDF-1.7\n" + b"x" * 100, name="call.mp3")
    assert refused.status_code == 415, refused.text
    too_big = upload(desk, WAV)
    assert too_big.status_code == 413, too_big.text
    assert desk.get("/recordings").json() == []
    store = recording_store(desk.runtime.settings)  # type: ignore[arg-type]
    assert not any(root.joinpath(store.kind).exists() for root in store.locations)


def test_an_attempt_may_name_only_a_recording_of_its_own_case_and_only_once(desk: Desk) -> None:
    sha = upload(desk, WAV).json()["sha256"]
    first = desk.post("/attempts", call(desk, recording_sha256=sha))
    assert first.status_code == 201, first.text
    desk.clock.advance(minutes=30)
    again = desk.post("/attempts", call(desk, recording_sha256=sha))
    assert again.status_code == 409, again.text
    unknown = desk.post("/attempts", call(desk, recording_sha256="a" * 64))
    assert unknown.status_code == 422 and "upload it first" in unknown.json()["detail"]
    assert len(desk.get("/attempts").json()) == 1
