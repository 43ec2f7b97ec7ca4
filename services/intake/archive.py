"""Raw case files kept byte-exact, in two places (the branch copy and the HQ copy)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class FileArchive:
    def __init__(self, primary: Path, backup: Path) -> None:
        self.locations = (primary, backup)

    def store(self, client_id: str, sha256: str, content: bytes) -> list[Path]:
        """Write both copies under a name derived from the hash; no caller text reaches a path."""
        client_dir = _SAFE.sub("_", client_id)
        paths = []
        for root in self.locations:
            folder = root / "case-files" / client_dir
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{sha256}.bin"
            if not target.exists():
                with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
                    tmp.write(content)
                    tmp.flush()
                    os.fsync(tmp.fileno())
                os.replace(tmp.name, target)
            paths.append(target)
        return paths
