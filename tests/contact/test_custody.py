"""Recordings' custodian per branch: named by an admin, the custodian sees the branch's
recordings waiting for backup and runs the backup (scheduled or by hand); each run reports
what was backed up and what failed, and a failed recording waits for the next run."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from datetime import timedelta

from services.contact.custody.models import RecordingBackup
from services.contact.custody.service import scheduled_round
from shared.auth.principal import Role
from shared.events import new_event
from shared.events.catalog import CaseAssigned
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported
from tests.security.kit import staff

from .conftest import ADMIN, COLLECTOR_A, HQ, Desk
from .test_recordings import AMR, WAV, upload

CUSTODIAN = staff("admin-b1", Role.ADMIN)


def in_branch(desk: Desk, branch: str) -> str:
    """A new case held by collector A in the branch; answers its id."""
    imported = case_imported(FIXED_NOW)
    assigned = CaseAssigned(client_id="BANK-A", collector_id=COLLECTOR_A.subject, team_id="T1",
                            branch_id=branch, assigned_at=FIXED_NOW)  # fmt: skip
    desk.dispatch(imported, new_event(assigned, occurred_at=FIXED_NOW, case_id=imported.case_id))
    return imported.case_id


def upload_to(desk: Desk, case_id: str, content: bytes) -> str:
    desk.case_id = case_id
    answer = upload(desk, content)
    assert answer.status_code == 201, answer.text
    return answer.json()["sha256"]


def test_the_custodian_backs_up_the_branchs_recordings_and_gets_a_report(desk: Desk) -> None:
    b1, b2 = in_branch(desk, "B1"), in_branch(desk, "B2")
    first, other = upload_to(desk, b1, WAV), upload_to(desk, b2, AMR)
    named = desk.client.put("/recordings/custodians/B1", json={"admin_id": CUSTODIAN.subject},
                            headers=desk.as_(ADMIN))  # fmt: skip
    assert named.status_code == 200, named.text
    assert named.json()["named_by"] == ADMIN.subject
    me = desk.as_(CUSTODIAN)

    waiting = desk.client.get("/recordings/waiting-backup?branch_id=B1", headers=me).json()
    assert [(w["case_id"], w["sha256"]) for w in waiting] == [(b1, first)]
    not_mine = desk.client.get("/recordings/waiting-backup?branch_id=B1", headers=desk.as_(ADMIN))
    assert not_mine.status_code == 403 and CUSTODIAN.subject in not_mine.json()["detail"]
    refused = desk.client.post(
        "/recordings/backups", json={"branch_id": "B1"}, headers=desk.as_(COLLECTOR_A)
    )
    assert refused.status_code == 403

    run = desk.client.post("/recordings/backups", json={"branch_id": "B1"}, headers=me)
    assert run.status_code == 201, run.text
    report = run.json()
    assert (report["backed_up"], report["failed"], report["custodian_id"]) == (
        1,
        0,
        CUSTODIAN.subject,
    )
    assert report["items"] == [
        {"case_id": b1, "sha256": first, "outcome": "copied", "reason": None}
    ]
    target = desk.runtime.settings.recording_backup_target  # type: ignore[attr-defined]
    copy = target / "B1" / b1 / f"{first}.bin"
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == first
    assert not (target / "B2").exists(), "B2 has no custodian: not backed up"
    assert desk.client.get("/recordings/waiting-backup?branch_id=B1", headers=me).json() == []
    hq = desk.client.get(f"/recordings/backups/{report['id']}", headers=desk.as_(HQ))
    assert hq.status_code == 200 and hq.json()["items"] == report["items"]
    b2_waiting = desk.client.get("/recordings/waiting-backup?branch_id=B2", headers=desk.as_(HQ))
    assert [w["sha256"] for w in b2_waiting.json()] == [other], "waits for a custodian of its own"
    nobody = desk.client.get("/recordings/waiting-backup?branch_id=B2", headers=me)
    assert nobody.status_code == 404


def test_a_recording_with_no_intact_copy_fails_and_waits_for_the_next_run(desk: Desk) -> None:
    case = in_branch(desk, "B1")
    sha = upload_to(desk, case, AMR)
    desk.client.put("/recordings/custodians/B1", json={"admin_id": CUSTODIAN.subject},
                    headers=desk.as_(ADMIN))  # fmt: skip
    roots = desk.runtime.settings.recording_dirs  # type: ignore[attr-defined]
    for root in roots:
        shutil.rmtree(root / "recordings" / case)

    assert scheduled_round(desk.runtime.db, desk.runtime.settings, FIXED_NOW) == 1  # type: ignore[arg-type]
    with desk.runtime.db.reader() as session:
        [run] = session.query(RecordingBackup).all()
    assert (run.trigger, run.custodian_id, run.backed_up, run.failed) == (
        "scheduled", CUSTODIAN.subject, 0, 1,
    )  # fmt: skip
    report = desk.client.get(f"/recordings/backups/{run.id}", headers=desk.as_(CUSTODIAN)).json()
    [item] = report["items"]
    assert (item["sha256"], item["outcome"]) == (sha, "failed")
    assert "no intact local copy" in item["reason"]
    waiting = desk.client.get(
        "/recordings/waiting-backup?branch_id=B1", headers=desk.as_(CUSTODIAN)
    )
    assert [w["sha256"] for w in waiting.json()] == [sha]


DAY = timedelta(days=1)


def test_the_schedule_backs_up_each_branch_once_per_interval_and_never_sooner(
    desk: Desk,
) -> None:
    db, settings = desk.runtime.db, desk.runtime.settings
    case = in_branch(desk, "B1")
    first = upload_to(desk, case, WAV)
    desk.client.put("/recordings/custodians/B1", json={"admin_id": CUSTODIAN.subject},
                    headers=desk.as_(ADMIN))  # fmt: skip
    assert scheduled_round(db, settings, FIXED_NOW, every=DAY) == 1  # type: ignore[arg-type]
    second = upload_to(desk, case, AMR)
    later = FIXED_NOW + timedelta(hours=23)
    assert scheduled_round(db, settings, later, every=DAY) == 0, "not due yet"  # type: ignore[arg-type]
    desk.clock.now = later
    by_hand = desk.client.post("/recordings/backups", json={"branch_id": "B1"},
                               headers=desk.as_(CUSTODIAN))  # fmt: skip
    assert [i["sha256"] for i in by_hand.json()["items"]] == [second]
    third = upload_to(desk, case, WAV + b"\x00more")
    # A run by hand does not move the schedule.
    assert scheduled_round(db, settings, FIXED_NOW + DAY, every=DAY) == 1  # type: ignore[arg-type]
    with db.reader() as session:
        runs = session.query(RecordingBackup).order_by(RecordingBackup.started_at).all()
    assert [(r.trigger, r.backed_up) for r in runs] == [
        ("scheduled", 1),
        ("by_hand", 1),
        ("scheduled", 1),
    ], "each recording is copied once: a run copies only what waits"
    target = settings.recording_backup_target  # type: ignore[attr-defined]
    kept = sorted(p.name for p in (target / "B1" / case).iterdir())
    assert kept == sorted(f"{sha}.bin" for sha in (first, second, third))


def test_the_service_runs_the_custodians_backup_on_its_schedule(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(recording_backup_minutes=0.01)  # checked every 0.6 s
    case = in_branch(desk, "B1")
    sha = upload_to(desk, case, AMR)
    desk.client.put("/recordings/custodians/B1", json={"admin_id": CUSTODIAN.subject},
                    headers=desk.as_(ADMIN))  # fmt: skip
    with desk.client:  # the lifespan, where the schedule runs
        deadline = time.monotonic() + 20
        runs: list[RecordingBackup] = []
        while not runs and time.monotonic() < deadline:
            time.sleep(0.1)
            with desk.runtime.db.reader() as session:
                runs = session.query(RecordingBackup).all()
    run = runs[0]
    assert (run.trigger, run.custodian_id, run.backed_up) == ("scheduled", CUSTODIAN.subject, 1)
    target = desk.runtime.settings.recording_backup_target  # type: ignore[attr-defined]
    assert (target / "B1" / case / f"{sha}.bin").is_file()
