"""Recordings' custody over HTTP: admins and HQ name each branch's custodian; the custodian
(or HQ) sees the branch's recordings waiting for backup, runs a backup by hand beside the
scheduled one, and reads each run's report of what was backed up and what failed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from sqlmodel import Session

from services.contact.access import SettingsDep
from services.contact.custody import service, store
from services.contact.custody.models import RecordingBackup
from services.contact.custody.schemas import (
    BackupBody,
    BackupPublic,
    CustodianBody,
    CustodianPublic,
    ItemPublic,
    WaitingPublic,
)
from shared.auth.principal import EVERYTHING, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

router = APIRouter(prefix="/recordings", tags=["recordings"])
BACK_OFFICE = access(EVERYTHING)
# Custodians and backup runs belong to a branch, kept by admins and HQ for every branch.
BACK_OFFICE_WRITES = access(EVERYTHING, scope=Scope.ALL)
Branch = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
ERRORS = {403: {"model": Problem}, 404: {"model": Problem}}


def _report(session: Session, run: RecordingBackup) -> BackupPublic:
    items = store.items_of(session, run.id)
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
    return [CustodianPublic(**c.model_dump()) for c in store.custodians(session)]


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
    service.looks_after(session, principal, branch_id)
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
        service.looks_after(session, principal, body.branch_id)
    run_id = service.run_backup(
        runtime.db, settings, runtime.clock(), body.branch_id, principal.subject, "by_hand"
    )
    with runtime.db.reader() as session:
        run = store.backup(session, run_id)
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
    run = store.backup(session, backup_id)
    if run is None:
        raise NotFound("backup")
    service.looks_after(session, principal, run.branch_id)
    return _report(session, run)
