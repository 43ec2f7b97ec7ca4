"""Reporting: read models over every event, for collectors, supervisors, HQ and the banks."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting.admin.api import router as admin
from services.reporting.catalog.api import catalog, counts
from services.reporting.examples import EXAMPLES
from services.reporting.figures.api import router as figures
from services.reporting.migrations import MIGRATIONS
from services.reporting.models import BUS, LIVE, SECURITY, WORKDAYS, ReportingTable
from services.reporting.pictures.api import router as pictures
from services.reporting.purge import PLAN as PURGE
from services.reporting.reports.api import router as reports
from services.reporting.settings import ReportingSettings
from services.reporting.submissions.api import router as submissions
from services.reporting.subscriptions import SUBSCRIPTIONS
from services.reporting.timeline.api import router as timeline
from shared.clock import Clock, utc_now
from shared.runtime import ServiceParts
from shared.web.app import build_service_app

DESCRIPTION = """
Consumes every topic of the platform into read models that can be rebuilt at will, and
serves the figures collectors, supervisors, HQ and the banks look at. Reports:
collectors' weekly and monthly reports, the branch's monthly report for HQ, the Friday
receivables report, each bank's monthly reconciliation statement, key figures, SLA
breaches, a case's timeline, charts and a dashboard — periods in Shanghai time, downloads
as JSON, CSV or XLSX. Submitted reports are frozen snapshots with their approvals. The read
models are rebuilt from offset zero with `POST /admin/rebuild` (or `make rebuild-reports`).
Also publishes the event catalogue (JSON Schema per event and an AsyncAPI document) for
teams that consume events.

A collector sees their own figures, a team lead and supervisor their team's, a branch
manager their branch's, HQ and admins all; a bank only its own reconciliation and its own
cases' timelines.
"""


def create_app(settings: ReportingSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    settings = settings or ReportingSettings()
    parts = ServiceParts(
        settings=settings,
        clock=clock,
        purge=PURGE,
        metadata=ReportingTable.metadata,
        tables=BUS,
        security=SECURITY,
        migrations=MIGRATIONS,
        handlers=SUBSCRIPTIONS,
        workdays=WORKDAYS,
        extras=(LIVE,),
    )
    return build_service_app(
        parts,
        examples=EXAMPLES,
        title="Reporting service",
        description=DESCRIPTION,
        routers=[counts, submissions, reports, figures, timeline, pictures, admin, catalog],
        tags=[
            {"name": "reports", "description": "Reports for a period, as JSON, CSV or XLSX."},
            {"name": "figures", "description": "Key figures and SLA breaches."},
            {"name": "submissions", "description": "Reports submitted as snapshots, reviewed."},
            {"name": "timeline", "description": "Every event of one case, in order."},
            {"name": "charts and dashboard", "description": "Charts and the ops dashboard."},
            {"name": "admin", "description": "Rebuilding the read models."},
            {"name": "event catalogue", "description": "Contracts of every event."},
        ],
    )
