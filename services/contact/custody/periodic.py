"""The recordings' one scheduled backup: each branch with a custodian is backed up in
their name every ``recording_backup_minutes``. Checked every few minutes, so a restart
neither skips a run nor makes one early (the last scheduled run says when the next is due)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from services.contact.custody.service import scheduled_round
from shared.periodic import run_every
from shared.runtime import Runtime

CHECK_SECONDS = 300


def with_scheduled_backup(app: FastAPI, minutes: float) -> None:
    """0 minutes: no schedule (the custodian runs it by hand, or ``make backup-recordings``)."""
    if minutes <= 0:
        return
    every = timedelta(minutes=minutes)

    def back_up(runtime: Runtime) -> int:
        settings = runtime.settings
        return scheduled_round(runtime.db, settings, runtime.clock(), every=every)  # type: ignore[arg-type]

    run_every(app, min(every.total_seconds(), CHECK_SECONDS), back_up, "recordings_backup")
