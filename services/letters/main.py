"""Letters: collection letters, their dispatch and proof of delivery, the limitation clock."""

from __future__ import annotations

from fastapi import FastAPI

from services.letters.api import router as cases
from services.letters.dispatch.api import router as dispatch
from services.letters.examples import EXAMPLES
from services.letters.issuing.api import batches
from services.letters.issuing.api import router as issuing
from services.letters.issuing.periodic import send_overdue_notices
from services.letters.letterheads.api import router as letterheads
from services.letters.limitation.api import ending
from services.letters.limitation.api import router as limitation
from services.letters.migrations import MIGRATIONS
from services.letters.models import BUS, SECURITY, WORKDAYS, LettersTable
from services.letters.proof.api import router as proof
from services.letters.purge import PLAN as PURGE
from services.letters.settings import LettersSettings
from services.letters.subscriptions import SUBSCRIPTIONS
from shared.clock import Clock, utc_now
from shared.periodic import run_every
from shared.runtime import ServiceParts
from shared.web.app import build_service_app
from shared.workdays.health import calendar_readiness

DESCRIPTION = """
Renders collection letters from versioned templates (Chinese, amounts also in capital
numerals) as PDFs with embedded fonts, keeps each letter's exact bytes in two copies with
their SHA-256, and tracks dispatch (channel, tracking number, mailing date), delivery and
the deadline it sets, the uploaded proof, and each case's 3-year limitation clock. Sends
the day-7 overdue notice and, after an "invoice not received" call, a statement, by
itself. Keeps its own copy of each case, fed by `CaseImported`, `CaseAssigned`,
`PaymentReceived`, `PaymentPromised` and `ContactAttempted`; when `WorkdayCalendarLoaded`
brings a year, recounts the delivery deadlines that were estimated on it. Publishes to
`letters.events`.

A case's letters are worked by its collector, their team's lead and supervisor, and admins;
a bank reads the letters and evidence packs of its own cases. To anyone else the case does
not exist (404).
"""
TAGS = [
    {"name": "cases", "description": "Cases as the letters desk sees them; limitation clocks."},
    {"name": "letters", "description": "Issuing, dispatch, delivery and evidence of letters."},
    {"name": "letterheads", "description": "Each client's letterhead, contact details and seal."},
]


def create_app(settings: LettersSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or LettersSettings()
    parts = ServiceParts(
        settings=settings,
        clock=clock,
        metadata=LettersTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=SUBSCRIPTIONS,
        workdays=WORKDAYS,
        readiness_details=calendar_readiness(WORKDAYS),
        purge=PURGE,
    )
    app = build_service_app(
        parts,
        examples=EXAMPLES,
        title="Letters service",
        description=DESCRIPTION,
        routers=[cases, limitation, issuing, dispatch, proof, letterheads, batches, ending],
        tags=TAGS,
    )
    app.state.body_limits = {
        "/evidence": settings.max_upload_bytes,
        "/seal": settings.max_upload_bytes,
    }
    run_every(app, settings.due_check_minutes * 60, send_overdue_notices, "overdue_notices")
    return app
