"""Intake: where banks' case files enter the platform."""

from __future__ import annotations

import threading

from fastapi import FastAPI

from services.intake.api import ROUTERS
from services.intake.apikeys import resolve_bank_key
from services.intake.importing import pipeline
from services.intake.importing.payment_file import MAX_FILE_BYTES as PAYMENT_FILE_BYTES
from services.intake.migrations import MIGRATIONS
from services.intake.models import BUS, SECURITY, IntakeTable
from services.intake.settings import IntakeSettings
from shared.clock import Clock, utc_now
from shared.logging import get_logger
from shared.runtime import Runtime, ServiceParts
from shared.web.app import build_service_app

log = get_logger(__name__)

DESCRIPTION = """
Banks and other creditors send their case files here. Each file is validated row by row,
kept byte-exact in two archive copies, and every new case is announced on the bus as
`CaseImported` (a changed one as `CaseUpdated`) for assignment, contact, letters and
reporting. Banks also report payments (`PaymentReceived`), recall cases (`CaseRecalled`)
and adjust balances. Publishes to the `intake.events` topic.

**Who may call what.** Back-office staff (admins and HQ) sign in with a Bearer token and
register clients, their agreements and API keys. A bank sends its key as the `X-API-Key`
header; a key reaches only its own client's agreements, files, batches, cases and payments —
anything else answers 404.
"""


def _resume_in_background(runtime: Runtime) -> None:
    """Imports a stopped process left half-done carry on, without delaying readiness."""

    def resume() -> None:
        try:
            pipeline.resume_unfinished(runtime)
        except Exception:
            log.exception("import_resume_failed")

    threading.Thread(target=resume, name="intake-resume", daemon=True).start()


def create_app(settings: IntakeSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """The intake app; tests pass a fixed ``clock`` (every deadline reads it)."""
    settings = settings or IntakeSettings()
    parts = ServiceParts(
        settings=settings,
        metadata=IntakeTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        bank_keys=resolve_bank_key,
        clock=clock,
        on_migrated=_resume_in_background,
    )
    app = build_service_app(
        parts,
        title="Intake service",
        description=DESCRIPTION,
        routers=ROUTERS,
        tags=[
            {"name": "clients", "description": "Banks and other creditors (back office)."},
            {"name": "api keys", "description": "Clients' API keys: create, list, revoke."},
            {"name": "agreements", "description": "Cooperation agreements and column mappings."},
            {"name": "case files", "description": "Case files posted by banks; their batches."},
            {"name": "cases", "description": "Cases as the client sent them; recalls, balances."},
            {"name": "payments", "description": "Payments the client reports."},
        ],
    )
    app.state.body_limits = {
        "/case-files": settings.max_file_bytes,
        "/payment-files": PAYMENT_FILE_BYTES,
    }
    return app
