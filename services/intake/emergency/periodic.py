"""The delivery round, run every ``emergency_delivery_seconds`` beside intake's runtime."""

from __future__ import annotations

from fastapi import FastAPI

from services.intake.emergency.delivery import deliver_due
from shared.periodic import run_every
from shared.runtime import Runtime


def with_delivery(app: FastAPI, seconds: float, timeout: float) -> None:
    def deliver(runtime: Runtime) -> int:
        return deliver_due(runtime.db, runtime.clock(), timeout=timeout)

    run_every(app, seconds, deliver, "emergency_delivery")
