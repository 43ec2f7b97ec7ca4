"""Assignment: staff and their sign-in, collectors, teams and who works which case."""

from __future__ import annotations

from fastapi import FastAPI

from services.assignment import service
from services.assignment.api import auth, cases, staff
from services.assignment.approvals.api import approvals
from services.assignment.field_visits.api import field_visits
from services.assignment.handlers import HANDLERS
from services.assignment.handover.api import handovers
from services.assignment.migrations import MIGRATIONS
from services.assignment.models import BUS, SECURITY, WORKDAYS, AssignmentTable
from services.assignment.placing.api import assignments
from services.assignment.rules.api import rules
from services.assignment.settings import AssignmentSettings
from services.assignment.strategy.api import strategy
from services.assignment.teams.api import members, teams
from services.assignment.work_queue.api import work_queue
from services.assignment.workdays.api import calendar
from shared.auth.keys import generate_key_pair, load_signing_key
from shared.clock import Clock, utc_now
from shared.logging import get_logger
from shared.runtime import Runtime, ServiceParts
from shared.web.app import build_service_app
from shared.workdays.health import calendar_readiness

log = get_logger(__name__)

DESCRIPTION = """
Keeps the staff — each with their own sign-in — their teams, and decides who works each
case. Every case announced by intake (`CaseImported`) is routed to a team by the first
matching rule (client, product, bucket, amount band, region) and given to the eligible
phone collector with the most spare capacity, within 1 business day of entry; a case
nobody can take waits in the queue with the reason. Each assignment is announced as
`CaseAssigned` or `CaseReassigned`, with the 2-hour first-action deadline. Admins load
each year's holidays and adjusted working days (`WorkdayCalendarLoaded`).

Each case follows its product's escalation ladder, which gives it a next action and due
time (the work queue lists them, most urgent first). A leaving collector's cases are handed
over in one supervised record. Phone collectors' daily field-visit lists become visit
orders due in 2 business days, through plan, report, result and sign-off. Special
procedures, waivers, month-end extensions and clients' one-off requests wait for a
supervisor's approval.
Publishes to `assignment.events`.

Sign in at `POST /auth/token` (username and password) and send the token as
`Authorization: Bearer <token>` to every service.
"""


def create_app(settings: AssignmentSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or AssignmentSettings()
    admin_password = settings.admin_password()
    key_path = settings.signing_key_path
    if not key_path.exists():
        if settings.is_production:
            raise RuntimeError(f"production: no token signing key at {key_path}")
        generate_key_pair(key_path.parent)
        log.info("token_signing_key_created", path=str(key_path))

    def first_admin(runtime: Runtime) -> None:
        with runtime.work() as uow:
            if service.ensure_first_admin(uow, settings.bootstrap_admin_username, admin_password):
                log.info("first_admin_created", username=settings.bootstrap_admin_username)

    parts = ServiceParts(
        settings=settings,
        clock=clock,
        metadata=AssignmentTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=HANDLERS,
        on_migrated=first_admin,
        readiness_details=calendar_readiness(WORKDAYS),
    )
    app = build_service_app(
        parts,
        title="Assignment service",
        description=DESCRIPTION,
        routers=[
            auth,
            staff,
            members,
            teams,
            rules,
            cases,
            assignments,
            work_queue,
            handovers,
            field_visits,
            strategy,
            approvals,
            calendar,
        ],
        tags=[
            {"name": "sign-in", "description": "Staff sign-in; tokens for every service."},
            {"name": "staff", "description": "Collectors, team leads, supervisors, admins."},
            {"name": "teams", "description": "Teams with their lead and supervisor."},
            {"name": "rules", "description": "Which team gets which cases, in order."},
            {"name": "assignments", "description": "Who holds which case; the queue."},
            {"name": "work queue", "description": "Open cases by next action, most urgent first."},
            {"name": "handovers", "description": "A leaving collector's cases, handed over."},
            {"name": "field visits", "description": "Visit orders, plans, results, sign-off."},
            {"name": "strategy", "description": "Escalation ladder, channel, treatment."},
            {"name": "approvals", "description": "Special procedures, waivers, extensions."},
            {"name": "calendar", "description": "Working days, holidays, 调休."},
        ],
    )
    app.state.signing_key = load_signing_key(key_path)
    return app
