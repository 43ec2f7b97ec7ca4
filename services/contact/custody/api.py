"""Recordings' custody over HTTP: admins and HQ name each branch's custodian; the custodian
(or HQ) sees the branch's recordings waiting for backup, runs a backup by hand beside the
scheduled one, and reads each run's report of what was backed up and what failed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import Session

from services.contact.access import SettingsDep
from services.contact.custody import service
from services.contact.custody.models import (
    RecordingBackup,
    RecordingBackupItem,
    RecordingCustodian,
)
from shared.auth.principal import EVERYTHING, Principal, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.clock import UtcDatetime
from shared.errors import NotFound, Problem, ProblemError
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

router = APIRouter(prefix="/recordings", tags=["recordings"])
BACK_OFFICE = access(EVERYTHING)
# Custodians and backup runs belong to a branch, kept by admins and HQ for every branch.
BACK_OFFICE_WRITES = access(EVERYTHING, scope=Scope.ALL)
Branch = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
ERRORS = {403: {"model": Problem}, 404: {"model": Problem}}


class CustodianBody(BaseModel):
    admin_id: str = Field(min_length=1, max_length=64, description="The admin named custodian")


class CustodianPublic(BaseModel):
    branch_id: str
    admin_id: str
    named_by: str
    named_at: UtcDatetime


class WaitingPublic(BaseModel):
    case_id: str
    sha256: str
    size: int
    uploaded_at: UtcDatetime
    branch_id: str | None


class BackupBody(BaseModel):
    branch_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class ItemPublic(BaseModel):
    case_id: str
    sha256: str
    outcome: str
    reason: str | None


class BackupPublic(BaseModel):
    id: str
    branch_id: str
    custodian_id: str
    trigger: str
    started_at: UtcDatetime
    finished_at: UtcDatetime
    backed_up: int
    failed: int
    items: list[ItemPublic] = []


def _custodian_of(session: Session, principal: Principal, branch_id: str) -> None:
    """The caller looks after the branch's recordings: its custodian, or HQ (which holds
    the backup); any other admin gets 403, and 404 if the branch has no custodian."""
    if principal.role == Role.HQ:
        return
    found = session.get(RecordingCustodian, branch_id)
    if found is None:
        raise NotFound("custodian for this branch")
    if principal.subject != found.admin_id:
        raise ProblemError(
            403, f"branch {branch_id}'s recordings are {found.admin_id}'s to back up"
        )


def _report(session: Session, run: RecordingBackup) -> BackupPublic:
    items = session.execute(
        select(RecordingBackupItem).where(RecordingBackupItem.backup_id == run.id)
    ).scalars()
    return BackupPublic(**run.model_dump(), items=[ItemPublic(**i.model_dump()) for i in items])


@router.put(
    "/custodians/{branch_id}",
    response_model=CustodianPublic,
    summary="Name the admin who looks after the branch's recordings (admins and HQ)",
    dependencies=[BACK_OFFICE_WRITES],
)
def name_custodian(
    branch_id: Branch, body: CustodianBody, principal: PrincipalDep, uow: WorkDep
) -> CustodianPublic:
    found = service.name_custodian(
        uow.session, uow.now, branch_id, body.admin_id, principal.subject
    )
    return CustodianPublic(**found.model_dump())


@router.get(
    "/custodians",
    response_model=list[CustodianPublic],
    summary="Each branch's recordings custodian",
    dependencies=[BACK_OFFICE],
)
def custodians(session: ReaderDep) -> list[CustodianPublic]:
    rows = session.execute(select(RecordingCustodian).order_by(RecordingCustodian.branch_id))
    return [CustodianPublic(**c.model_dump()) for c in rows.scalars()]


@router.get(
    "/waiting-backup",
    response_model=list[WaitingPublic],
    summary="Recordings of the branch not yet in the backup (its custodian, or HQ)",
    dependencies=[BACK_OFFICE],
    responses=ERRORS,
)
def waiting_backup(
    principal: PrincipalDep,
    session: ReaderDep,
    branch_id: Annotated[str, Query(min_length=1, max_length=64)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[WaitingPublic]:
    _custodian_of(session, principal, branch_id)
    return [WaitingPublic(**r._mapping) for r in service.waiting(session, branch_id, limit)]


@router.post(
    "/backups",
    status_code=status.HTTP_201_CREATED,
    response_model=BackupPublic,
    summary="Back up the branch's waiting recordings now (its custodian, or HQ)",
    dependencies=[BACK_OFFICE_WRITES],
    responses=ERRORS,
)
def back_up_now(
    body: BackupBody,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
) -> BackupPublic:
    with runtime.db.reader() as session:
        _custodian_of(session, principal, body.branch_id)
    run_id = service.run_backup(
        runtime.db, settings, runtime.clock(), body.branch_id, principal.subject, "by_hand"
    )
    with runtime.db.reader() as session:
        run = session.get(RecordingBackup, run_id)
        assert run is not None
        return _report(session, run)


@router.get(
    "/backups/{backup_id}",
    response_model=BackupPublic,
    summary="A backup run's report: what was backed up and what failed, and why",
    dependencies=[BACK_OFFICE],
    responses=ERRORS,
)
def backup_report(backup_id: str, principal: PrincipalDep, session: ReaderDep) -> BackupPublic:
    run = session.get(RecordingBackup, backup_id)
    if run is None:
        raise NotFound("backup")
    _custodian_of(session, principal, run.branch_id)
    return _report(session, run)
