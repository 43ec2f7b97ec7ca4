"""The promise due check, run every ``due_check_minutes`` beside the service's runtime so
that deadlines pass even on a case no payment arrives for."""

from __future__ import annotations

from fastapi import FastAPI

from services.contact.promises.service import check_due
from shared.periodic import run_every
from shared.runtime import Runtime


def run_due_check(runtime: Runtime) -> int:
    with runtime.work() as uow:
        return check_due(uow)


def with_due_check(app: FastAPI, seconds: float) -> None:
    """Run the due check for as long as the app runs (inside its own lifespan)."""
    run_every(app, seconds, run_due_check, "promise_due_check")
