"""Which audio a recording is, told from its first bytes (never from its name or the type
the uploader claims)."""

from __future__ import annotations

from typing import Literal

AudioFormat = Literal["wav", "mp3", "m4a", "amr"]
SNIFF_BYTES = 16
# ISO base media brands of audio from phones and recorders (M4A, MP4, 3GPP).
_M4A_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"3gp4", b"3gp5", b"3gp6")
MEDIA_TYPES: dict[str, str] = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "amr": "audio/amr",
}


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a version other than 'reserved' and a
    layer other than 'reserved' (which is also what tells it from AAC's ADTS)."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    return version != 0b01 and layer != 0b00


def audio_format(head: bytes) -> AudioFormat | None:
    """The format of a file from its first ``SNIFF_BYTES`` bytes; ``None`` if not audio
    we keep."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"#!AMR"):
        return "amr"
    if head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS:
        return "m4a"
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return "mp3"
    return None
