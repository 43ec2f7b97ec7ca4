"""Assignment: collectors, teams and who works which case."""

from __future__ import annotations

from fastapi import FastAPI

from services.assignment.api import cases, collectors
from services.assignment.handlers import HANDLERS
from services.assignment.migrations import MIGRATIONS
from services.assignment.models import BUS, AssignmentTable
from services.assignment.settings import AssignmentSettings
from shared.events import topic_for
from shared.web.app import build_service_app
from shared.web.runtime import ServiceParts

DESCRIPTION = """
Keeps the collectors and decides who works each case. Every case announced by intake
(`CaseImported`) is given to an active phone collector in rotation and announced as
`CaseAssigned`, with the 2-hour first-action deadline. Publishes to `assignment.events`.
"""


def create_app(settings: AssignmentSettings | None = None) -> FastAPI:
    settings = settings or AssignmentSettings()
    parts = ServiceParts(
        settings=settings,
        metadata=AssignmentTable.metadata,
        tables=BUS,
        migrations=MIGRATIONS,
        handlers=HANDLERS,
        subscriptions=(topic_for("intake"),),
    )
    return build_service_app(
        parts,
        title="Assignment service",
        description=DESCRIPTION,
        routers=[collectors, cases],
        tags=[
            {"name": "collectors", "description": "The people who work cases."},
            {"name": "assignments", "description": "Which collector holds which case."},
        ],
    )
