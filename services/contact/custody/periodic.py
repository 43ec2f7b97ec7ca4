"""Each branch's scheduled backup of recordings, run every ``recording_backup_minutes``
beside the service's runtime, in its custodian's name."""

from __future__ import annotations

from fastapi import FastAPI

from services.contact.custody.service import scheduled_round
from shared.periodic import run_every
from shared.runtime import Runtime


def with_scheduled_backup(app: FastAPI, seconds: float) -> None:
    def back_up(runtime: Runtime) -> int:
        return scheduled_round(runtime.db, runtime.settings, runtime.clock())  # type: ignore[arg-type]

    run_every(app, seconds, back_up, "recordings_backup")
