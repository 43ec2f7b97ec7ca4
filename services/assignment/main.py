"""Assignment: staff and their sign-in, collectors, teams and who works which case."""

from __future__ import annotations

from fastapi import FastAPI

from services.assignment.agencies.api import router as agencies
from services.assignment.agencies.periodic import with_term_end_recall
from services.assignment.approval_effects import EFFECTS as APPROVAL_EFFECTS
from services.assignment.approvals.api import approvals
from services.assignment.blacklist.api import blacklist
from services.assignment.closing.handlers import BlacklistSecret
from services.assignment.costs.api import costs
from services.assignment.examples import EXAMPLES
from services.assignment.field_visits.api import field_visits
from services.assignment.handover.api import handovers
from services.assignment.incidents.api import router as incidents
from services.assignment.migrations import MIGRATIONS
from services.assignment.models import BUS, SECURITY, WORKDAYS, AssignmentTable
from services.assignment.placing.api import assignments, cases
from services.assignment.purge import PLAN as PURGE
from services.assignment.rules.api import rules
from services.assignment.settings import AssignmentSettings
from services.assignment.staff import service
from services.assignment.staff.api import auth, staff
from services.assignment.strategy.api import strategy
from services.assignment.subscriptions import SUBSCRIPTIONS
from services.assignment.teams.api import members, teams
from services.assignment.work_queue.api import work_queue
from services.assignment.workdays.api import calendar
from shared.auth.keys import signing_key
from shared.clock import Clock, utc_now
from shared.logging import get_logger
from shared.runtime import Runtime, ServiceParts
from shared.web.app import build_service_app
from shared.web.desk import install_desk
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
A case closes when paid in full (`PaymentReceived` against its balance), recalled by the
client (`CaseRecalled`) or written off once approved — announced as `CaseClosed` with the
reason; a debtor whose case was settled at 90 or more days past due goes on the blacklist.
Costs on a case are recorded with their approver (`CaseCostRecorded`).

Each case follows its product's escalation ladder, which gives it a next action and due
time (the work queue lists them, most urgent first). A leaving collector's cases are handed
over in one supervised record. Phone collectors' daily field-visit lists become visit
orders due in 2 business days, through plan, report, result and sign-off. Special
procedures, waivers, month-end extensions and clients' one-off requests wait for a
supervisor's approval.
Publishes to `assignment.events`.

Sign in at `POST /auth/token` (username and password) and send the token as
`Authorization: Bearer <token>` to every service. Banks send the bank token they get
for their API key at intake's `POST /auth/bank-token`.
"""


def create_app(settings: AssignmentSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or AssignmentSettings()
    admin_password = settings.admin_password()
    blacklist_secret = settings.blacklist_secret()
    key = signing_key(settings.signing_key_path, production=settings.is_production)

    def first_admin(runtime: Runtime) -> None:
        with runtime.work() as uow:
            if service.ensure_first_admin(uow, settings.bootstrap_admin_username, admin_password):
                log.info("first_admin_created", username=settings.bootstrap_admin_username)

    parts = ServiceParts(
        settings=settings,
        clock=clock,
        purge=PURGE,
        metadata=AssignmentTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=SUBSCRIPTIONS,
        extras=(BlacklistSecret(blacklist_secret), APPROVAL_EFFECTS),
        on_migrated=first_admin,
        readiness_details=calendar_readiness(WORKDAYS),
    )
    app = build_service_app(
        parts,
        examples=EXAMPLES,
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
            costs,
            blacklist,
            calendar,
            incidents,
            agencies,
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
            {"name": "costs", "description": "Costs on a case and who approved them."},
            {"name": "blacklist", "description": "Settled long-overdue debtors, by ID number."},
            {"name": "incidents", "description": "Outages, emergencies, force majeure: §12."},
            {"name": "agencies", "description": "Outside agencies (委外): placements, recalls."},
        ],
    )
    install_desk(app, settings.desk_urls, settings.auth_token_url)
    with_term_end_recall(app, settings.agency_recall_minutes * 60)
    app.state.signing_key = key
    app.state.blacklist_secret = blacklist_secret
    return app
