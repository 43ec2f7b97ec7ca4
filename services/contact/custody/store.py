"""Custody's queries: custodians, backup runs and their items, and the recordings not yet
in the backup (read across the recordings' table and the case visibility copy)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.contact.custody.models import (
    BackedUpRecording,
    RecordingBackup,
    RecordingBackupItem,
    RecordingCustodian,
)
from services.contact.models import SECURITY
from services.contact.recordings.models import Recording

VISIBILITY = SECURITY.case_visibility
RECORDINGS = Recording.__table__
DONE = BackedUpRecording.__table__


def custodian(session: Session, branch_id: str) -> RecordingCustodian | None:
    return session.get(RecordingCustodian, branch_id)


def custodians(session: Session) -> Sequence[RecordingCustodian]:
    """Every branch's custodian, by branch."""
    return (
        session.execute(select(RecordingCustodian).order_by(RecordingCustodian.branch_id))
        .scalars()
        .all()
    )


def backup(session: Session, backup_id: str) -> RecordingBackup | None:
    return session.get(RecordingBackup, backup_id)


def items_of(session: Session, backup_id: str) -> Sequence[RecordingBackupItem]:
    return (
        session.execute(
            select(RecordingBackupItem).where(RecordingBackupItem.backup_id == backup_id)
        )
        .scalars()
        .all()
    )


def failed_items_of(session: Session, backup_id: str) -> Sequence[RecordingBackupItem]:
    return (
        session.execute(
            select(RecordingBackupItem).where(
                RecordingBackupItem.backup_id == backup_id,
                RecordingBackupItem.outcome == "failed",
            )
        )
        .scalars()
        .all()
    )


def runs_since(session: Session, started: datetime) -> Sequence[RecordingBackup]:
    return (
        session.execute(select(RecordingBackup).where(RecordingBackup.started_at >= started))
        .scalars()
        .all()
    )


def last_scheduled_runs(session: Session) -> dict[str, datetime]:
    """Each branch's latest scheduled run."""
    return dict(
        session.execute(
            select(RecordingBackup.branch_id, func.max(RecordingBackup.started_at))
            .where(RecordingBackup.trigger == "scheduled")
            .group_by(RecordingBackup.branch_id)
        ).all()
    )


def waiting(session: Session, branch_id: str | None, limit: int = 1000) -> list[Any]:
    """Recordings of the branch's cases (all branches: None) not yet in the backup."""
    query = (
        select(
            RECORDINGS.c.case_id,
            RECORDINGS.c.sha256,
            RECORDINGS.c.size,
            RECORDINGS.c.uploaded_at,
            VISIBILITY.c.branch_id,
        )
        .join(VISIBILITY, VISIBILITY.c.case_id == RECORDINGS.c.case_id, isouter=True)
        .join(
            DONE,
            (DONE.c.case_id == RECORDINGS.c.case_id) & (DONE.c.sha256 == RECORDINGS.c.sha256),
            isouter=True,
        )
        .where(DONE.c.backup_id.is_(None))
        .order_by(RECORDINGS.c.uploaded_at, RECORDINGS.c.sha256)
        .limit(limit)
    )
    if branch_id is not None:
        query = query.where(VISIBILITY.c.branch_id == branch_id)
    return list(session.execute(query))
