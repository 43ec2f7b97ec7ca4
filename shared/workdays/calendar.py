"""Counting working days: a loaded schedule first, then the `chinesecalendar` package, then
an estimate (weekends and fixed-date holidays) that is marked as such and never crashes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache

import chinese_calendar

from shared.clock import SHANGHAI, as_utc, to_local
from shared.workdays.schedule import DayKind, YearSchedule

FIXED_DATE_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
"""New Year, Labour Day, National Day: the statutory holidays with a fixed solar date."""


class Source(StrEnum):
    LOADED = "loaded"
    PACKAGE = "package"
    ESTIMATED = "estimated"


@dataclass(frozen=True)
class Deadline:
    """A due time; ``estimated`` when a year nobody published was counted on."""

    due: datetime
    estimated: bool


@cache
def package_years() -> frozenset[int]:
    return frozenset(day.year for day in chinese_calendar.holidays)


def _estimated_workday(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_DATE_HOLIDAYS


class WorkdayCalendar:
    """Working days of the mainland, built from the years the service has loaded."""

    def __init__(self, loaded: Mapping[int, YearSchedule] | None = None) -> None:
        self.loaded: Mapping[int, YearSchedule] = loaded or {}
        self._deadlines: dict[tuple[datetime, int], Deadline] = {}

    def source_of(self, year: int) -> Source:
        if year in self.loaded:
            return Source.LOADED
        if year in package_years():
            return Source.PACKAGE
        return Source.ESTIMATED

    def estimated_years(self, years: Iterable[int]) -> list[int]:
        return sorted(y for y in set(years) if self.source_of(y) is Source.ESTIMATED)

    def is_workday(self, day: date) -> bool:
        return self._workday(day)[0]

    def _workday(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, was it estimated)."""
        source = self.source_of(day.year)
        if source is Source.LOADED:
            kind = self.loaded[day.year].kind_of(day)
            if kind is None:
                return day.weekday() < 5, False
            return kind is DayKind.WORKDAY, False
        if source is Source.PACKAGE:
            try:
                return chinese_calendar.is_workday(day), False
            except NotImplementedError:
                pass
        return _estimated_workday(day), True

    def add_workdays(self, start: datetime, count: int) -> Deadline:
        """``count`` working days after ``start``, at the same Shanghai clock time. A start
        on a day off counts from the beginning of the next working day."""
        key = (start, count)
        known = self._deadlines.get(key)
        if known is not None:
            return known
        local = to_local(start)
        day, at = local.date(), local.timetz().replace(tzinfo=None)
        working, estimated = self._workday(day)
        if not working:
            day, more = self._next_workday(day)
            at, estimated = time(0), estimated or more
        for _ in range(count):
            day, more = self._next_workday(day)
            estimated = estimated or more
        deadline = Deadline(as_utc(datetime.combine(day, at, SHANGHAI)), estimated)
        if len(self._deadlines) < 10_000:
            self._deadlines[key] = deadline
        return deadline

    def _next_workday(self, day: date) -> tuple[date, bool]:
        estimated = False
        while True:
            day += timedelta(days=1)
            working, guessed = self._workday(day)
            estimated = estimated or guessed
            if working:
                return day, estimated
