"""Recordings' custody (seeds §13): the named admin per branch who looks after recordings,
each backup run with its report, and which recordings are in the backup."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from services.contact.models import ContactTable, utc_column


class RecordingCustodian(ContactTable, table=True):
    __tablename__ = "recording_custodians"

    branch_id: str = Field(primary_key=True, max_length=64)
    admin_id: str = Field(max_length=64)
    named_by: str = Field(max_length=64)
    named_at: datetime = Field(sa_column=utc_column())


class RecordingBackup(ContactTable, table=True):
    """One backup run of a branch's waiting recordings: who ran it, how, what came of it."""

    __tablename__ = "recording_backups"

    id: str = Field(primary_key=True, max_length=36)
    branch_id: str = Field(index=True, max_length=64)
    custodian_id: str = Field(max_length=64)
    trigger: str = Field(max_length=12)
    started_at: datetime = Field(sa_column=utc_column())
    finished_at: datetime = Field(sa_column=utc_column())
    backed_up: int = 0
    failed: int = 0


class RecordingBackupItem(ContactTable, table=True):
    """What a run did with one recording: copied (and verified) or failed, and why."""

    __tablename__ = "recording_backup_items"

    backup_id: str = Field(primary_key=True, max_length=36)
    case_id: str = Field(primary_key=True, max_length=36)
    sha256: str = Field(primary_key=True, max_length=64)
    outcome: str = Field(max_length=8)
    reason: str | None = Field(default=None, max_length=300)


class BackedUpRecording(ContactTable, table=True):
    """A recording safely in the backup, and the run that put it there."""

    __tablename__ = "recordings_backed_up"

    case_id: str = Field(primary_key=True, max_length=36)
    sha256: str = Field(primary_key=True, max_length=64)
    backup_id: str = Field(max_length=36)
    copied_at: datetime = Field(sa_column=utc_column())
