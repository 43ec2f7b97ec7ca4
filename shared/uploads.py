"""An upload copied to a temporary file in chunks while hashed, never held whole (case files,
recordings)."""

from __future__ import annotations

import hashlib
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from shared.errors import ProblemError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class SpooledUpload:
    """An uploaded file in a temporary file: where, its SHA-256 and its size."""

    path: Path
    sha256: str
    size: int


def spool_upload(stream: BinaryIO, folder: Path, limit: int) -> SpooledUpload:
    """Copy the upload to ``folder`` while hashing it; 413 past ``limit``, 422 when empty."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix="upload-", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ProblemError(413, f"file larger than {limit} bytes")
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise ProblemError(422, "the uploaded file is empty")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return SpooledUpload(path=path, sha256=digest.hexdigest(), size=size)


def discard(upload: SpooledUpload) -> None:
    with suppress(OSError):
        upload.path.unlink()
