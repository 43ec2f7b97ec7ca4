"""Naming a branch's recordings custodian, the recordings waiting for backup, and a backup
run: each waiting recording of the branch is copied from an intact local copy to the
backup target (``<target>/<branch>/<case>/<sha256>.bin``), checked by its SHA-256, and
reported as backed up or failed with the reason. A failed one waits for the next run."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from services.contact.custody import store
from services.contact.custody.models import (
    BackedUpRecording,
    RecordingBackup,
    RecordingBackupItem,
    RecordingCustodian,
)
from services.contact.recordings.service import recording_store
from services.contact.settings import ContactSettings
from shared.auth.principal import Principal, Role
from shared.clock import as_utc
from shared.db import Database
from shared.errors import NotFound, ProblemError
from shared.filestore import StoredFileMissing, sha256_of


def name_custodian(
    session: Session, now: datetime, branch_id: str, admin_id: str, named_by: str
) -> RecordingCustodian:
    found = store.custodian(session, branch_id) or RecordingCustodian(
        branch_id=branch_id, admin_id=admin_id, named_by=named_by, named_at=now
    )
    found.admin_id, found.named_by, found.named_at = admin_id, named_by, now
    session.add(found)
    session.flush()
    return found


def waiting(session: Session, branch_id: str | None, limit: int = 1000) -> list[Any]:
    """Recordings of the branch's cases (all branches: None) not yet in the backup."""
    return store.waiting(session, branch_id, limit)


def looks_after(session: Session, principal: Principal, branch_id: str) -> None:
    """The caller looks after the branch's recordings: its custodian, or HQ (which holds
    the backup); any other admin gets 403, and 404 if the branch has no custodian."""
    if principal.role == Role.HQ:
        return
    found = store.custodian(session, branch_id)
    if found is None:
        raise NotFound("custodian for this branch")
    if principal.subject != found.admin_id:
        raise ProblemError(
            403, f"branch {branch_id}'s recordings are {found.admin_id}'s to back up"
        )


@dataclass(frozen=True)
class Copied:
    case_id: str
    sha256: str
    reason: str | None = None


def _copy(settings: ContactSettings, branch_id: str, case_id: str, sha256: str) -> Copied:
    try:
        source = recording_store(settings).verified(case_id, sha256)
        target = settings.recording_backup_target / _safe(branch_id) / case_id / f"{sha256}.bin"
        if not (target.exists() and sha256_of(target) == sha256):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        if sha256_of(target) != sha256:
            return Copied(case_id, sha256, "the copy in the backup does not match its SHA-256")
        return Copied(case_id, sha256)
    except StoredFileMissing:
        return Copied(case_id, sha256, "no intact local copy to back up")
    except OSError as exc:
        return Copied(case_id, sha256, f"{type(exc).__name__}: {exc}"[:300])


def _safe(branch_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in branch_id) or "_"


def run_backup(
    db: Database,
    settings: ContactSettings,
    now: datetime,
    branch_id: str,
    custodian_id: str,
    trigger: str,
) -> str:
    """Back up the branch's waiting recordings; the run and its report are kept. Returns
    the run's id."""
    with db.reader() as session:
        todo = [(r.case_id, r.sha256) for r in store.waiting(session, branch_id, limit=100_000)]
    results = [_copy(settings, branch_id, case_id, sha) for case_id, sha in todo]
    run = RecordingBackup(
        id=str(uuid.uuid4()),
        branch_id=branch_id,
        custodian_id=custodian_id,
        trigger=trigger,
        started_at=now,
        finished_at=now,
        backed_up=sum(1 for r in results if r.reason is None),
        failed=sum(1 for r in results if r.reason is not None),
    )
    with db.transaction() as session:
        session.add(run)
        for r in results:
            outcome = "copied" if r.reason is None else "failed"
            item = RecordingBackupItem(
                backup_id=run.id, case_id=r.case_id, sha256=r.sha256, outcome=outcome,
                reason=r.reason,
            )  # fmt: skip
            session.add(item)
            if r.reason is None:
                session.merge(
                    BackedUpRecording(
                        case_id=r.case_id, sha256=r.sha256, backup_id=run.id, copied_at=now
                    )
                )
    return run.id


def scheduled_round(
    db: Database, settings: ContactSettings, now: datetime, every: timedelta | None = None
) -> int:
    """Every branch with a custodian: its backup, run in the custodian's name; with
    ``every``, only the branches whose last scheduled run is that old. Returns how many
    branches were backed up."""
    with db.reader() as session:
        custodians = store.custodians(session)
        last = store.last_scheduled_runs(session)
    ran = 0
    for c in custodians:
        if every is None or is_due(last.get(c.branch_id), now, every):
            run_backup(db, settings, now, c.branch_id, c.admin_id, "scheduled")
            ran += 1
    return ran


def is_due(last_run: datetime | None, now: datetime, every: timedelta) -> bool:
    """A branch never backed up on schedule is due now; otherwise ``every`` after the last."""
    return last_run is None or now - as_utc(last_run) >= every
