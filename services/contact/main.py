"""Contact: every attempt to reach a debtor, promises to pay, and the contact rules."""

from __future__ import annotations

from fastapi import FastAPI

from services.contact.attempts.api import late_entry_routes as late_entries
from services.contact.attempts.api import router as attempts
from services.contact.cases.api import router
from services.contact.custody.api import router as custody
from services.contact.custody.periodic import with_scheduled_backup
from services.contact.details.api import router as details
from services.contact.disputes.api import router as disputes
from services.contact.examples import EXAMPLES
from services.contact.field_visits.api import router as field_visits
from services.contact.first_contact.api import router as first_contact
from services.contact.migrations import MIGRATIONS
from services.contact.models import BUS, SECURITY, WORKDAYS, ContactTable
from services.contact.promises.api import router as promises
from services.contact.promises.periodic import with_due_check
from services.contact.purge import PLAN as PURGE
from services.contact.recordings.api import router as recordings
from services.contact.rules.api import router as rules
from services.contact.settings import ContactSettings
from services.contact.subscriptions import SUBSCRIPTIONS
from shared.clock import Clock, utc_now
from shared.runtime import ServiceParts
from shared.web.app import build_service_app
from shared.workdays.health import calendar_readiness

DESCRIPTION = """
Where collectors log every call, visit and message, record promises to pay and raise
disputes, under contact rules that keep collection lawful (quiet hours, frequency limits,
no unrelated third parties). Keeps its own copy of each case and of who works it, fed by
`CaseImported`, `CaseAssigned` and `CaseReassigned`, follows `PaymentReceived` to
tell kept promises from broken ones, takes visit orders from `FieldVisitOrdered` and keeps
a copy of the working-day calendar (`WorkdayCalendarLoaded`). Publishes to `contact.events`.

Only a case's collector, their team's lead and supervisor, and admins may work its
contact log; to anyone else the case does not exist (404).
"""
TAGS = [
    {"name": "cases", "description": "Cases as the contact desk sees them."},
    {"name": "contact rules", "description": "Whether a party may be contacted now, and why not."},
    {"name": "contact log", "description": "Every call, message, letter and visit."},
    {"name": "promises", "description": "Promises to pay, kept or broken by payments."},
    {"name": "first contact", "description": "The 2-hour first-contact clock."},
    {"name": "recordings", "description": "Call and visit audio, kept by SHA-256 in two copies."},
    {"name": "contact details", "description": "Phones and addresses, their status and source."},
    {"name": "disputes", "description": "Disputes pause contact until a supervisor resolves."},
    {"name": "field visits", "description": "Visit orders and the reports filed against them."},
]


def create_app(settings: ContactSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or ContactSettings()
    parts = ServiceParts(
        settings=settings,
        clock=clock,
        purge=PURGE,
        metadata=ContactTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=SUBSCRIPTIONS,
        workdays=WORKDAYS,
        readiness_details=calendar_readiness(WORKDAYS),
    )
    app = build_service_app(
        parts,
        examples=EXAMPLES,
        title="Contact service",
        description=DESCRIPTION,
        routers=[
            router,
            rules,
            attempts,
            late_entries,
            recordings,
            custody,
            promises,
            first_contact,
            details,
            disputes,
            field_visits,
        ],
        tags=TAGS,
    )
    with_due_check(app, settings.due_check_minutes * 60)
    with_scheduled_backup(app, settings.recording_backup_minutes)
    # room for the multipart wrapping around the largest recording
    app.state.body_limits = {"/recordings": settings.recording_max_bytes + 64 * 1024}
    return app
