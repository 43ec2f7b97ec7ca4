"""Files kept byte-exact in two places, named by their SHA-256 (raw case files, letters,
recordings, evidence): a lost or damaged first copy is served from the second."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from shared.logging import get_logger

log = get_logger(__name__)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
_HEX = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


class StoredFileMissing(Exception):
    """Neither copy of a file is present and intact."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_owner(owner: str) -> str:
    """The folder name an owner (a case id, a client id) gets in a store."""
    return _SAFE.sub("_", owner)


class TwoCopyStore:
    """``<root>/<kind>/<owner>/<sha256>.bin`` under both roots; no caller text reaches a path
    except the owner, which is reduced to safe characters."""

    def __init__(self, primary: Path, backup: Path, kind: str) -> None:
        self.locations = (primary, backup)
        self.kind = kind

    def _path(self, root: Path, owner: str, sha256: str) -> Path:
        if not _HEX.match(sha256):
            raise ValueError("not a SHA-256")
        return root / self.kind / safe_owner(owner) / f"{sha256}.bin"

    def store_file(self, owner: str, sha256: str, source: Path) -> list[Path]:
        """Copy a file to both places, streamed; an intact copy is left alone."""
        paths = []
        for root in self.locations:
            target = self._path(root, owner, sha256)
            if not (target.exists() and sha256_of(target) == sha256):
                with source.open("rb") as src:
                    _write(target, lambda out, src=src: shutil.copyfileobj(src, out))  # type: ignore[misc]
            paths.append(target)
        return paths

    def store_bytes(self, owner: str, content: bytes) -> tuple[str, list[Path]]:
        """Keep content in both places; returns its SHA-256 and the two paths."""
        sha256 = hashlib.sha256(content).hexdigest()
        paths = []
        for root in self.locations:
            target = self._path(root, owner, sha256)
            if not (target.exists() and sha256_of(target) == sha256):
                _write(target, lambda out: out.write(content))
            paths.append(target)
        return sha256, paths

    def verified(self, owner: str, sha256: str) -> Path:
        """The path of an intact copy: the primary, else the backup (logged)."""
        primary, backup = (self._path(root, owner, sha256) for root in self.locations)
        if primary.exists() and sha256_of(primary) == sha256:
            return primary
        state = "missing" if not primary.exists() else "corrupt"
        if backup.exists() and sha256_of(backup) == sha256:
            log.error(
                "stored_file_primary_bad_served_backup",
                kind=self.kind,
                sha256=sha256,
                primary=state,
            )
            return backup
        log.error("stored_file_both_copies_bad", kind=self.kind, sha256=sha256, primary=state)
        raise StoredFileMissing(sha256)


def _write(target: Path, fill: Callable[[BinaryIO], object]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        fill(tmp)  # type: ignore[arg-type]
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, target)
