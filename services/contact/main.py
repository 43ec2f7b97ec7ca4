"""Contact: every attempt to reach a debtor, promises to pay, and the contact rules."""

from __future__ import annotations

from fastapi import FastAPI

from services.contact.api import router
from services.contact.handlers import HANDLERS
from services.contact.migrations import MIGRATIONS
from services.contact.models import BUS, SECURITY, ContactTable
from services.contact.settings import ContactSettings
from shared.clock import Clock, utc_now
from shared.runtime import ServiceParts
from shared.web.app import build_service_app

DESCRIPTION = """
Where collectors log every call, visit and message, record promises to pay and raise
disputes, under contact rules that keep collection lawful (quiet hours, frequency limits,
no unrelated third parties). Keeps its own copy of each case and of who works it, fed by
`CaseImported`, `CaseAssigned` and `CaseReassigned`. Publishes to `contact.events`.
"""


def create_app(settings: ContactSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or ContactSettings()
    parts = ServiceParts(
        settings=settings,
        clock=clock,
        metadata=ContactTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=HANDLERS,
    )
    return build_service_app(
        parts,
        title="Contact service",
        description=DESCRIPTION,
        routers=[router],
        tags=[{"name": "cases", "description": "Cases as the contact desk sees them."}],
    )
