"""What the report routes share: the period asked for, the caller's collectors, formats."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from services.reporting.directory import Collector, visible
from services.reporting.periods import Period, PeriodKind, PeriodOutOfRange, period_of
from services.reporting.reports.exports import CSV_TYPE, XLSX_TYPE, report_csv_file, report_xlsx
from services.reporting.reports.shape import Report
from shared.auth.principal import EVERYTHING, Principal
from shared.clock import to_local
from shared.errors import ProblemError
from shared.runtime import Runtime
from shared.web.strict import ReportDay

Format = Literal["json", "csv", "xlsx"]
FormatQuery = Annotated[Format, Query(description="json, csv or xlsx")]
OnQuery = Annotated[
    ReportDay | None,
    Query(description="Any day inside the period (Shanghai calendar); default today"),
]
KindQuery = Annotated[PeriodKind, Query(description="day, week (Saturday–Friday) or month")]
FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {},
            CSV_TYPE.split(";")[0]: {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The report as JSON, CSV or XLSX",
    }
}


def period_for(runtime: Runtime, kind: PeriodKind, on: date | None) -> Period:
    try:
        return period_of(kind, on or to_local(runtime.clock()).date())
    except PeriodOutOfRange as exc:
        raise ProblemError(422, f"on: {exc}") from exc


def sees_everything(principal: Principal) -> bool:
    return not principal.is_bank and principal.role in EVERYTHING


def scope(principal: Principal, session: Session) -> dict[str, Collector]:
    return visible(principal, session)


def respond(report: Report, fmt: Format) -> Any:
    name = f"{report.report}-{report.scope[:40]}-{report.period}".replace(" ", "")
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    if fmt in ("csv", "xlsx"):
        path = report_csv_file(report) if fmt == "csv" else report_xlsx(report)
        return FileResponse(
            path,
            media_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE,
            filename=f"{name}.{fmt}",
            background=BackgroundTask(path.unlink, missing_ok=True),
        )
    return JSONResponse(report.as_json())
