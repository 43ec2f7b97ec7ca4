"""Letters: collection letters, their dispatch and proof of delivery."""

from __future__ import annotations

from fastapi import FastAPI

from services.letters.api import router
from services.letters.handlers import HANDLERS
from services.letters.migrations import MIGRATIONS
from services.letters.models import BUS, SECURITY, WORKDAYS, LettersTable
from services.letters.settings import LettersSettings
from shared.clock import Clock, utc_now
from shared.runtime import ServiceParts
from shared.web.app import build_service_app
from shared.workdays.health import calendar_readiness

DESCRIPTION = """
Renders collection letters from templates, keeps each letter's exact content and hash,
and tracks dispatch (carrier, tracking number, mailing date) and delivery outcome — the
proof a creditor needs that it asserted its rights. Keeps its own copy of each case, fed
by `CaseImported` and `CaseAssigned`. Publishes to `letters.events`.
"""


def create_app(settings: LettersSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or LettersSettings()
    parts = ServiceParts(
        settings=settings,
        clock=clock,
        metadata=LettersTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=HANDLERS,
        readiness_details=calendar_readiness(WORKDAYS),
    )
    return build_service_app(
        parts,
        title="Letters service",
        description=DESCRIPTION,
        routers=[router],
        tags=[{"name": "cases", "description": "Cases as the letters desk sees them."}],
    )
