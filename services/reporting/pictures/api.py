"""Charts (SVG, PNG) and the offline dashboard page for the caller's period and scope."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from services.reporting import directory
from services.reporting.periods import Period
from services.reporting.pictures import charts, data
from services.reporting.reports.common import KindQuery, OnQuery, period_for, scope, sees_everything
from services.reporting.reports.kpis import kpis
from services.reporting.reports.shape import plain
from shared.auth.principal import ALL_STAFF, Principal
from shared.auth.web import PUBLIC, PrincipalDep, access
from shared.web.deps import ReaderDep, RuntimeDep

router = APIRouter(tags=["charts and dashboard"])
Chart = Literal["recovered-vs-target", "aging", "collector-ranking", "sla-breaches"]
CHARTS: tuple[str, ...] = Chart.__args__  # type: ignore[attr-defined]
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
PAGE = (Path(__file__).parent / "dashboard.html").read_text(encoding="utf-8")


def caller_name(principal: Principal, session: Session) -> str:
    """A collector's name as assignment announced it; anyone else by role and team/branch."""
    known = directory.collectors(session).get(principal.subject)
    if known is not None and known.name != principal.subject:
        return known.name
    role = principal.role.value if principal.role else principal.kind
    return " ".join(p for p in (role, principal.team_id or principal.branch_id) if p)


def draw(session: Session, principal: Principal, period: Period, chart: str, now: Any) -> Any:
    who = scope(principal, session)
    everyone = sees_everything(principal)
    if chart == "recovered-vs-target":
        found = data.recovered_by_month(session, period, who, everyone)
        return charts.recovered_vs_target(found["months"], found["recovered"], found["target"])
    if chart == "aging":
        rows = data.aging_at(session, period, who, everyone)
        return charts.aging(
            [r["bucket"] for r in rows], [r["balance"] for r in rows], [r["cases"] for r in rows]
        )
    if chart == "collector-ranking":
        ranked = data.ranking(session, period, who)
        return charts.collector_ranking([n for n, _ in ranked], [v for _, v in ranked])
    weekly = data.breaches_per_week(session, period, who, everyone, now)
    return charts.sla_per_week(weekly["weeks"], weekly["counts"])


@router.get(
    "/charts/{chart}",
    summary="A chart for the period and the caller's scope, as SVG or PNG",
    responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}},
    response_class=Response,
    dependencies=[access(ALL_STAFF)],
)
def chart(
    chart: Chart,
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    period: KindQuery = "month",
    on: OnQuery = None,
    format: Annotated[Literal["svg", "png"], Query()] = "svg",
) -> Response:
    figure = draw(session, principal, period_for(runtime, period, on), chart, runtime.clock())
    return Response(charts.render(figure, format), media_type=MEDIA[format])


@router.get(
    "/dashboard/data",
    summary="The dashboard's key figures for the period and the caller's scope",
    dependencies=[access(ALL_STAFF)],
)
def dashboard_data(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    period: KindQuery = "month",
    on: OnQuery = None,
) -> JSONResponse:
    chosen = period_for(runtime, period, on)
    figures = kpis(session, chosen, scope(principal, session), sees_everything(principal))
    figures["charts"] = list(CHARTS)
    figures["who"] = caller_name(principal, session)
    return JSONResponse(plain(figures))


@router.get(
    "/dashboard",
    summary="The dashboard page (HTML, no data in it: it signs in and fetches the figures)",
    response_class=HTMLResponse,
    dependencies=[PUBLIC],
)
def dashboard(runtime: RuntimeDep) -> HTMLResponse:
    token_url = runtime.settings.auth_token_url
    page = PAGE.replace("__TOKEN_URL__", token_url)
    policy = (
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
        f"script-src 'self' 'unsafe-inline'; connect-src 'self' {token_url}"
    )
    return HTMLResponse(page, headers={"Content-Security-Policy": policy})
