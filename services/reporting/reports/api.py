"""Report routes: collectors' progress, monthly reports, the branch report, the Friday
receivables report, the banks' reconciliation statements and the outside agencies'
recoveries, as JSON, CSV or XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from services.reporting.periods import period_of
from services.reporting.reports import collectors as collector_reports
from services.reporting.reports.agencies import agencies_report
from services.reporting.reports.common import (
    FORMATS,
    FormatQuery,
    KindQuery,
    OnQuery,
    period_for,
    respond,
    scope,
    sees_everything,
)
from services.reporting.reports.receivables import friday_report
from services.reporting.reports.reconciliation import statement
from shared.auth.principal import ALL_STAFF, BRANCH_WIDE, EVERYTHING, TEAM_WIDE, Role
from shared.auth.web import ClientInScopeDep, PrincipalDep, access
from shared.errors import NotFound, Problem
from shared.web.deps import ReaderDep, RuntimeDep

router = APIRouter(prefix="/reports", tags=["reports"])
STAFF = access(ALL_STAFF)
MONTH = Annotated[
    str,
    Query(
        pattern=r"^(199\d|20\d{2})-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2026-11"]
    ),
]
BRANCH_ID = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,36}$")]


@router.get(
    "/collectors/progress",
    summary="Each collector's progress in a day, week or month (own / team / branch / all)",
    responses=FORMATS,
    dependencies=[STAFF],
)
def progress(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    period: KindQuery = "week",
    on: OnQuery = None,
    format: FormatQuery = "json",
) -> Any:
    chosen = period_for(runtime, period, on)
    return respond(collector_reports.progress(session, chosen, scope(principal, session)), format)


@router.get(
    "/collectors/monthly",
    summary="Collectors' monthly reports with extension requests, reasons and next steps",
    responses=FORMATS,
    dependencies=[STAFF],
)
def monthly(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    on: OnQuery = None,
    format: FormatQuery = "json",
) -> Any:
    chosen = period_for(runtime, "month", on)
    return respond(collector_reports.monthly(session, chosen, scope(principal, session)), format)


@router.get(
    "/branches/{branch_id}/monthly",
    summary="A branch's monthly report for HQ: per collector, per team, totals",
    responses={**FORMATS, 404: {"model": Problem}},
    dependencies=[access(EVERYTHING | BRANCH_WIDE | {Role.SUPERVISOR})],
)
def branch_monthly(
    branch_id: BRANCH_ID,
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    on: OnQuery = None,
    format: FormatQuery = "json",
) -> Any:
    if not sees_everything(principal) and principal.branch_id != branch_id:
        raise NotFound("branch")
    chosen = period_for(runtime, "month", on)
    report = collector_reports.branch_monthly(session, chosen, branch_id, scope(principal, session))
    return respond(report, format)


@router.get(
    "/receivables/friday",
    summary="The week's repayments and overdue customers with the measures taken",
    responses=FORMATS,
    dependencies=[access(EVERYTHING | BRANCH_WIDE | TEAM_WIDE)],
)
def receivables(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    on: OnQuery = None,
    format: FormatQuery = "json",
) -> Any:
    week = period_for(runtime, "week", on)
    who = None if sees_everything(principal) else set(scope(principal, session))
    return respond(friday_report(session, week, who), format)


@router.get(
    "/reconciliation/{client_id}",
    summary="A bank's monthly reconciliation statement (banks: their own only)",
    responses={**FORMATS, 404: {"model": Problem}},
    dependencies=[access(EVERYTHING, banks=True)],
)
def reconciliation(
    client_id: ClientInScopeDep,
    principal: PrincipalDep,
    session: ReaderDep,
    month: MONTH,
    format: FormatQuery = "json",
) -> Any:
    first = period_of("month", date.fromisoformat(f"{month}-01")).first
    report = statement(session, client_id, first, internal=not principal.is_bank)
    return respond(report, format)


@router.get(
    "/agencies",
    summary="Outside agencies' recoveries and commission in a month (委外, back office)",
    description="Every payment made while a case was placed with an agency, at the rate it "
    "was placed at (half-up to the fen per payment), and each agency's totals.",
    responses=FORMATS,
    dependencies=[access(EVERYTHING)],
)
def agencies(session: ReaderDep, month: MONTH, format: FormatQuery = "json") -> Any:
    first = date.fromisoformat(f"{month}-01")
    return respond(agencies_report(session, period_of("month", first)), format)
