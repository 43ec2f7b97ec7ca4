"""Reporting: read models over every event, for supervisors, HQ and the banks."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting.api import catalog, reports
from services.reporting.handlers import HANDLERS
from services.reporting.migrations import MIGRATIONS
from services.reporting.models import BUS, SECURITY, ReportingTable
from services.reporting.settings import ReportingSettings
from shared.clock import Clock, utc_now
from shared.runtime import ServiceParts
from shared.web.app import build_service_app

DESCRIPTION = """
Consumes every topic of the platform into read models that can be rebuilt at will, and
serves the figures supervisors, HQ and the banks look at. Also publishes the event
catalogue (JSON Schema per event and an AsyncAPI document) for teams that consume events.
"""


def create_app(settings: ReportingSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or ReportingSettings()
    parts = ServiceParts(
        settings=settings,
        clock=clock,
        metadata=ReportingTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=HANDLERS,
    )
    return build_service_app(
        parts,
        title="Reporting service",
        description=DESCRIPTION,
        routers=[reports, catalog],
        tags=[
            {"name": "reports", "description": "Figures over cases and events."},
            {"name": "event catalogue", "description": "Contracts of every event."},
        ],
    )
