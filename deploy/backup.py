"""`make backup` and `make restore FROM=…`: one consistent copy of every service's database
and of the file stores, and its restore into an empty platform on HQ's recorded approval.

A backup is a dated folder: each SQLite database copied with SQLite's online backup API
(a consistent snapshot while the service runs, outbox and inbox included, so the bus
resumes from what the copy holds), each PostgreSQL database as a ``pg_dump`` custom-format
dump, the data folder's files (raw files, recordings, letters, proofs, their second
copies, keys) as they are, and ``MANIFEST.sha256`` naming every file with its SHA-256.

A restore checks the manifest first, refuses without an HQ approval — a staff token of
role ``hq`` signed by a key the backup holds, and a reason — and refuses a target that is
not empty. The approval (who, when, why, which backup) is written to
``<data>/restores.jsonl`` and to every restored database's audit trail.

Environment: DATA_DIR (var), BACKUP_DIR (backups), ``<SERVICE>_DATABASE_URL`` (SQLite
under DATA_DIR by default); for restore FROM (the backup folder), APPROVAL_TOKEN (an HQ
staff token) and APPROVAL_REASON.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, create_engine, insert, inspect
from sqlalchemy.engine import make_url

from shared.auth.keys import PublicKeyRing
from shared.auth.principal import Role
from shared.auth.tables import security_tables
from shared.auth.tokens import InvalidToken, verify_token

SERVICES = ("intake", "assignment", "contact", "letters", "reporting")
MANIFEST = "MANIFEST.sha256"
SKIPPED_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal")
SKIPPED_FOLDERS = ("logs",)


class RestoreRefused(Exception):
    """The restore would not be safe or is not approved; nothing was changed."""


@dataclass(frozen=True)
class Approval:
    by: str
    at: datetime
    why: str
    backup: str


def database_urls(data_dir: Path) -> dict[str, str]:
    return {
        s: os.environ.get(f"{s.upper()}_DATABASE_URL") or f"sqlite:///{data_dir / s}.db"
        for s in SERVICES
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _pg_url(url: str) -> str:
    """A libpq URL for pg_dump / pg_restore (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _data_files(data_dir: Path) -> list[Path]:
    found = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or relative.parts[0] in SKIPPED_FOLDERS:
            continue
        if path.name.endswith(SKIPPED_SUFFIXES) or path.name == "restores.jsonl":
            continue
        found.append(path)
    return found


def backup(data_dir: Path, backup_root: Path, urls: dict[str, str], now: datetime) -> Path:
    """Write one backup folder and return it."""
    folder = backup_root / now.strftime("%Y%m%dT%H%M%SZ")
    (folder / "databases").mkdir(parents=True)
    for service, url in urls.items():
        if _is_sqlite(url):
            target = folder / "databases" / f"{service}.db"
            source = sqlite3.connect(_sqlite_path(url))
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            target = folder / "databases" / f"{service}.dump"
            subprocess.run(["pg_dump", "-Fc", "-f", str(target), _pg_url(url)], check=True)
    for path in _data_files(data_dir):
        target = folder / "files" / path.relative_to(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    (folder / "backup.json").write_text(
        json.dumps(
            {"taken_at": now.isoformat(), "services": {s: _kind(u) for s, u in urls.items()}},
            indent=2,
        )
    )
    lines = [
        f"{_sha256(p)}  {p.relative_to(folder).as_posix()}"
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
    (folder / MANIFEST).write_text("\n".join(lines) + "\n")
    return folder


def _kind(url: str) -> str:
    return "sqlite" if _is_sqlite(url) else "postgresql"


def verify(folder: Path) -> int:
    """Check every file against the manifest; returns how many were checked."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise RestoreRefused(f"{folder} has no {MANIFEST}")
    listed = 0
    for line in manifest.read_text().splitlines():
        digest, name = line.split("  ", 1)
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise RestoreRefused(f"{name} is missing or differs from the manifest")
        listed += 1
    return listed


def approve(folder: Path, token: str, reason: str, now: datetime) -> Approval:
    """HQ's approval: a valid token of role hq signed by a key in the backup, and a reason."""
    if len(reason.strip()) < 10:
        raise RestoreRefused("a restore needs HQ's reason (APPROVAL_REASON, 10 characters or more)")
    ring = PublicKeyRing(folder / "files" / "keys")
    try:
        principal = verify_token(ring, token, now)
    except InvalidToken as exc:
        raise RestoreRefused(f"the approval token is not valid: {exc}") from exc
    if principal.kind != "staff" or principal.role != Role.HQ:
        raise RestoreRefused("a restore must be approved by HQ (a token of role hq)")
    return Approval(by=principal.subject, at=now, why=reason.strip(), backup=folder.name)


def _empty(data_dir: Path, urls: dict[str, str]) -> None:
    if data_dir.exists() and _data_files(data_dir):
        raise RestoreRefused(f"{data_dir} is not empty: restore only into an empty platform")
    for service, url in urls.items():
        if _is_sqlite(url) and not _sqlite_path(url).exists():
            continue
        engine = create_engine(url)
        try:
            if inspect(engine).get_table_names():
                raise RestoreRefused(f"{service}'s database is not empty")
        finally:
            engine.dispose()


def restore(folder: Path, data_dir: Path, urls: dict[str, str], approval: Approval) -> None:
    verify(folder)
    _empty(data_dir, urls)
    data_dir.mkdir(parents=True, exist_ok=True)
    files = folder / "files"
    if files.is_dir():
        shutil.copytree(files, data_dir, dirs_exist_ok=True)
    for service, url in urls.items():
        if _is_sqlite(url):
            path = _sqlite_path(url)
            path.parent.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(folder / "databases" / f"{service}.db")
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            dump = folder / "databases" / f"{service}.dump"
            subprocess.run(["pg_restore", "--no-owner", "-d", _pg_url(url), str(dump)], check=True)
        _audit(url, approval)
    record = {"by": approval.by, "at": approval.at.isoformat(), "why": approval.why,
              "backup": approval.backup}  # fmt: skip
    with (data_dir / "restores.jsonl").open("a") as log:
        log.write(json.dumps(record, ensure_ascii=False) + "\n")


def _audit(url: str, approval: Approval) -> None:
    audit_log = security_tables(MetaData()).audit_log
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(audit_log).values(
                    at=approval.at,
                    subject=approval.by,
                    subject_kind="staff",
                    role=Role.HQ.value,
                    action="restore",
                    method="CLI",
                    path=f"restore {approval.backup}: {approval.why}"[:500],
                    outcome="approved",
                )
            )
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    data_dir = Path(os.environ.get("DATA_DIR") or "var").resolve()
    urls = database_urls(data_dir)
    now = datetime.now(UTC)
    if argv[:1] == ["backup"]:
        root = Path(os.environ.get("BACKUP_DIR") or "backups").resolve()
        print(backup(data_dir, root, urls, now))
        return 0
    if argv[:1] == ["restore"]:
        folder = Path(os.environ.get("FROM") or "").resolve()
        try:
            approval = approve(
                folder,
                os.environ.get("APPROVAL_TOKEN", ""),
                os.environ.get("APPROVAL_REASON", ""),
                now,
            )
            restore(folder, data_dir, urls, approval)
        except RestoreRefused as exc:
            print(f"restore refused: {exc}", file=sys.stderr)
            return 2
        print(f"restored {folder.name} into {data_dir}, approved by {approval.by}")
        return 0
    print("usage: python -m deploy.backup backup|restore", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
