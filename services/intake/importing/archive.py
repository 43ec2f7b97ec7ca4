"""Raw case files kept byte-exact, in two places (the branch copy and the HQ copy)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from services.intake.importing.upload import sha256_of
from shared.logging import get_logger

log = get_logger(__name__)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
_HEX = re.compile(r"^[0-9a-f]{64}$")


class ArchiveMissing(Exception):
    """Neither copy of a file is present and intact."""


class FileArchive:
    def __init__(self, primary: Path, backup: Path) -> None:
        self.locations = (primary, backup)

    def _path(self, root: Path, client_id: str, sha256: str) -> Path:
        """A name derived from the hash; no caller text reaches a path."""
        if not _HEX.match(sha256):
            raise ValueError("not a SHA-256")
        return root / "case-files" / _SAFE.sub("_", client_id) / f"{sha256}.bin"

    def store_file(self, client_id: str, sha256: str, source: Path) -> list[Path]:
        """Copy a received file to both places, streamed; an intact copy is left alone."""
        paths = []
        for root in self.locations:
            target = self._path(root, client_id, sha256)
            if not (target.exists() and sha256_of(target) == sha256):
                with source.open("rb") as src:
                    self._write(target, lambda out, src=src: shutil.copyfileobj(src, out))  # type: ignore[misc]
            paths.append(target)
        return paths

    def verified(self, client_id: str, sha256: str) -> Path:
        """The path of an intact copy: the primary, else the backup (logged)."""
        primary, backup = (self._path(root, client_id, sha256) for root in self.locations)
        if primary.exists() and sha256_of(primary) == sha256:
            return primary
        state = "missing" if not primary.exists() else "corrupt"
        if backup.exists() and sha256_of(backup) == sha256:
            log.error("archive_primary_bad_served_backup", sha256=sha256, primary=state)
            return backup
        log.error("archive_both_copies_bad", sha256=sha256, primary=state)
        raise ArchiveMissing(sha256)

    @staticmethod
    def _write(target: Path, fill: object) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            fill(tmp)  # type: ignore[operator]
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, target)


def archive_of(runtime: Any) -> FileArchive:
    """The service's two archive locations, from its settings."""
    return FileArchive(*runtime.settings.archive_dirs)
