"""Intake: where banks' case files enter the platform."""

from __future__ import annotations

from fastapi import FastAPI

from services.intake.api import router
from services.intake.migrations import MIGRATIONS
from services.intake.models import BUS, IntakeTable
from services.intake.settings import IntakeSettings
from shared.web.app import build_service_app
from shared.web.runtime import ServiceParts

DESCRIPTION = """
Banks and other creditors send their case files here. Each file is validated row by row,
kept byte-exact in two archive copies, and every new case is announced on the bus as
`CaseImported` (a changed one as `CaseUpdated`) for assignment, contact, letters and
reporting. Publishes to the `intake.events` topic.
"""


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    parts = ServiceParts(
        settings=settings, metadata=IntakeTable.metadata, tables=BUS, migrations=MIGRATIONS
    )
    return build_service_app(
        parts,
        title="Intake service",
        description=DESCRIPTION,
        routers=[router],
        tags=[
            {"name": "case files", "description": "Case files posted by banks."},
            {"name": "cases", "description": "Cases as the client sent them."},
        ],
    )
