"""The recordings' scheduled backup (the custodian's duty in the seeds): every interval, a
dated copy of the recordings store with a SHA-256 manifest; the newest N copies are kept."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from shared.filestore import sha256_of
from shared.periodic import run_every
from shared.runtime import Runtime

MANIFEST = "MANIFEST.sha256"
STAMP = "%Y%m%dT%H%M%SZ"


def copies(root: Path) -> list[Path]:
    """Complete copies (those with a manifest), oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())


def back_up(source: Path, root: Path, now: datetime, every: timedelta, keep: int) -> Path | None:
    """Copy ``source`` into ``root/<UTC time>/`` unless the newest copy is younger than
    ``every``; the manifest is written last, so a copy cut short never counts."""
    done = copies(root)
    if done and now - datetime.strptime(done[-1].name, STAMP).replace(tzinfo=now.tzinfo) < every:
        return None
    folder = root / now.strftime(STAMP)
    files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else []
    lines = []
    for path in files:
        relative = path.relative_to(source)
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        lines.append(f"{sha256_of(target)}  {relative.as_posix()}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text("".join(f"{line}\n" for line in lines))
    for old in copies(root)[:-keep]:
        shutil.rmtree(old)
    return folder


def with_recordings_backup(app: FastAPI, hours: float, keep: int, root: Path) -> None:
    """Back recordings up every ``hours`` (checked every few minutes; 0 turns it off)."""
    if hours <= 0:
        return
    every = timedelta(hours=hours)

    def job(runtime: Runtime) -> int:
        primary, _ = runtime.settings.recording_dirs  # type: ignore[attr-defined]
        return 0 if back_up(primary, root, runtime.clock(), every, keep) is None else 1

    run_every(app, min(hours * 3600, 300), job, "recordings_backed_up")
