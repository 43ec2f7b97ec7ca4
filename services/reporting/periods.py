"""Report periods in Shanghai time: a day, a week ending Friday, a month. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from shared.clock import SHANGHAI, as_utc

PeriodKind = Literal["day", "week", "month"]
FRIDAY = 4


@dataclass(frozen=True)
class Period:
    """``[first, after)`` as Shanghai calendar days; ``start``/``end`` are their UTC bounds."""

    kind: PeriodKind
    first: date
    after: date

    @property
    def last(self) -> date:
        return self.after - timedelta(days=1)

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return local_midnight(self.after)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.first.strftime("%Y-%m")
        if self.kind == "week":
            return f"{self.first.isoformat()}..{self.last.isoformat()}"
        return self.first.isoformat()

    def previous(self) -> Period:
        """The period before (a comparison may reach before the earliest day one may ask)."""
        return period_of(self.kind, self.first - timedelta(days=1), checked=False)


def local_midnight(day: date) -> datetime:
    return as_utc(datetime.combine(day, time(0), SHANGHAI))


EARLIEST, LATEST = date(1990, 1, 1), date(2099, 12, 31)


class PeriodOutOfRange(ValueError):
    pass


def period_of(kind: PeriodKind, day: date, *, checked: bool = True) -> Period:
    """The period of ``kind`` that contains ``day``; a week runs Saturday to Friday."""
    if checked and not EARLIEST <= day <= LATEST:
        raise PeriodOutOfRange(f"{day.isoformat()} is outside {EARLIEST.year}–{LATEST.year}")
    if kind == "day":
        return Period(kind, day, day + timedelta(days=1))
    if kind == "week":
        friday = day + timedelta(days=(FRIDAY - day.weekday()) % 7)
        return Period(kind, friday - timedelta(days=6), friday + timedelta(days=1))
    first = day.replace(day=1)
    return Period(kind, first, _add_month(first))


def _add_month(day: date) -> date:
    return (
        day.replace(year=day.year + 1, month=1)
        if day.month == 12
        else day.replace(month=day.month + 1)
    )


def reconciliation_period(month: date, reconciliation_day: int) -> Period:
    """A client's statement for ``month``: from its reconciliation day in that month up to
    the same day of the next month (day 1 = the calendar month)."""
    first = month.replace(day=reconciliation_day)
    return Period("month", first, _add_month(first))


def months_back(day: date, count: int) -> list[Period]:
    """The ``count`` months up to and including the one containing ``day``, oldest first."""
    periods = [period_of("month", day)]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods
