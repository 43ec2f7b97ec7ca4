"""Recordings are told apart by their first bytes, whatever their name says."""

from __future__ import annotations

import pytest

from services.contact.recordings.domain import audio_format

WAV = b"RIFF\x24\x08\x00\x00WAVEfmt "
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"
MP3_FRAME = b"\xff\xfb\x90\x64\x00\x00\x00\x00"  # MPEG-1 layer III
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00"
AMR = b"#!AMR\n\x3c\x48\xf5"
AMR_WB = b"#!AMR-WB\n"


@pytest.mark.parametrize(
    ("head", "expected"),
    [(WAV, "wav"), (MP3_ID3, "mp3"), (MP3_FRAME, "mp3"), (M4A, "m4a"), (AMR, "amr"),
     (AMR_WB, "amr")],
)  # fmt: skip
def test_each_kept_format_is_known_by_its_first_bytes(head: bytes, expected: str) -> None:
    assert audio_format(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.7\n",
        b"PK\x03\x04",  # a zip (or docx) named .mp3
        b"RIFF\x24\x08\x00\x00AVI LIST",  # RIFF, but video
        b"\x00\x00\x00\x20ftypqt  ",  # QuickTime video
        b"\xff\xf1\x50\x80",  # AAC in ADTS: sync bits, but layer 00
        b"\xff\xd8\xff\xe0",  # JPEG
        b"",
    ],
)
def test_other_content_is_not_a_recording(head: bytes) -> None:
    assert audio_format(head) is None
