"""Key figures and SLA breaches for the caller's collectors (HQ and admins: everything)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.reporting.directory import collectors
from services.reporting.models import WORKDAYS
from services.reporting.reports import sla
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
from services.reporting.reports.kpis import kpis
from services.reporting.reports.shape import Report, Section, plain
from shared.auth.principal import ALL_STAFF
from shared.auth.web import PrincipalDep, access
from shared.web.deps import ReaderDep, RuntimeDep
from shared.workdays.tables import load_calendar

router = APIRouter(prefix="/reports", tags=["figures"])
STAFF = access(ALL_STAFF)


@router.get(
    "/kpis",
    summary="Recovered vs target and quota, rates, aging, roll rates, per-product rates",
    dependencies=[STAFF],
)
def key_figures(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    period: KindQuery = "month",
    on: OnQuery = None,
) -> JSONResponse:
    chosen = period_for(runtime, period, on)
    figures = kpis(session, chosen, scope(principal, session), sees_everything(principal))
    return JSONResponse(plain(figures))


BREACH_COLUMNS = [
    ("kind", "类别 kind"),
    ("case_id", "案件 case"),
    ("who", "责任人 who"),
    ("team_id", "组 team"),
    ("branch_id", "分公司 branch"),
    ("due", "应完成 due"),
    ("actual", "实际 actual"),
]


def breach_report(session: Any, runtime: Any, principal: Any, chosen: Any) -> Report:
    directory = collectors(session)
    seen = None if sees_everything(principal) else set(scope(principal, session))
    calendar = load_calendar(session, WORKDAYS)
    rows = [
        b.as_row(directory)
        for b in sla.breaches(session, chosen, calendar, runtime.clock())
        if seen is None or b.who in seen
    ]
    return Report(
        report="sla_breaches",
        title="时限违规 SLA breaches",
        period=chosen.label,
        scope="all" if seen is None else ", ".join(sorted(seen)) or "-",
        sections=[Section("breaches", BREACH_COLUMNS, rows)],
        summary={"breaches": len(rows), **sla.counts(rows)},
    )


@router.get(
    "/sla-breaches",
    summary="Each missed deadline with case, who, due and actual time; counts per team/branch",
    responses=FORMATS,
    dependencies=[STAFF],
)
def sla_breaches(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    period: KindQuery = "week",
    on: OnQuery = None,
    format: FormatQuery = "json",
) -> Any:
    chosen = period_for(runtime, period, on)
    return respond(breach_report(session, runtime, principal, chosen), format)
