"""Which years a service would have to estimate, for `/ready` and the metrics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import Gauge
from sqlalchemy import Table

from shared.clock import to_local
from shared.workdays.calendar import Source, WorkdayCalendar
from shared.workdays.tables import load_calendar

if TYPE_CHECKING:
    from shared.runtime import Runtime

YEAR_ESTIMATED = Gauge(
    "workday_calendar_year_estimated",
    "1 when a year's working days are estimated (no published schedule known), else 0",
    ["year"],
)


def calendar_details(calendar: WorkdayCalendar, now: datetime) -> dict[str, Any]:
    """This year and next: where their working days come from; estimated ones are flagged."""
    this_year = to_local(now).year
    years = {year: calendar.source_of(year) for year in (this_year, this_year + 1)}
    for year, source in years.items():
        YEAR_ESTIMATED.labels(year=str(year)).set(1 if source is Source.ESTIMATED else 0)
    return {
        "sources": {str(year): source.value for year, source in years.items()},
        "estimated_years": [y for y, s in years.items() if s is Source.ESTIMATED],
        "loaded_years": sorted(calendar.loaded),
    }


def calendar_readiness(table: Table) -> Callable[[Runtime], dict[str, Any]]:
    """The `/ready` details of a service that keeps its copy of the calendar in ``table``."""

    def describe(runtime: Runtime) -> dict[str, Any]:
        with runtime.db.reader() as session:
            calendar = load_calendar(session, table)
        return {"workday_calendar": calendar_details(calendar, runtime.clock())}

    return describe
