"""A year's published schedule: its public holidays and adjusted working days (调休)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

FIRST_YEAR = 2000
LAST_YEAR = 2100


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"


class ScheduleError(ValueError):
    """A schedule that cannot be loaded, with the reason in words."""


@dataclass(frozen=True)
class YearSchedule:
    """Days off that would be working days (holidays) and weekend days that are worked."""

    year: int
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)

    def kind_of(self, day: date) -> DayKind | None:
        if day in self.holidays:
            return DayKind.HOLIDAY
        if day in self.workdays:
            return DayKind.WORKDAY
        return None


def build_schedule(year: int, days: Iterable[tuple[date, DayKind | str, str]]) -> YearSchedule:
    """Check and gather ``(day, kind, name)`` entries of one year."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ScheduleError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for day, kind, name in days:
        if day.year != year:
            raise ScheduleError(f"{day.isoformat()} is not in {year}")
        if day in holidays or day in workdays:
            raise ScheduleError(f"{day.isoformat()} is listed twice")
        try:
            parsed = DayKind(kind)
        except ValueError:
            raise ScheduleError(
                f"{day.isoformat()}: kind must be 'holiday' or 'workday', not {kind!r}"
            ) from None
        (holidays if parsed is DayKind.HOLIDAY else workdays)[day] = name.strip()
    if not holidays:
        raise ScheduleError(f"the schedule for {year} lists no holidays")
    return YearSchedule(year, holidays, workdays)


def parse_schedule_text(year: int, text: str) -> YearSchedule:
    """``date,kind,name`` lines (a header line and ``#`` comments allowed), e.g.
    ``2027-10-01,holiday,国庆节`` or ``2027-09-26,workday,国庆节调休``."""
    entries: list[tuple[date, str, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not cells or not cells[0] or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() == "date":
            continue
        if len(cells) < 2:
            raise ScheduleError(f"line {number}: expected date,kind,name")
        try:
            day = date.fromisoformat(cells[0])
        except ValueError:
            raise ScheduleError(f"line {number}: {cells[0]!r} is not a YYYY-MM-DD date") from None
        entries.append((day, cells[1].lower(), ",".join(cells[2:])))
    return build_schedule(year, entries)
