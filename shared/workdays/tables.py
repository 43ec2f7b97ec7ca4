"""Each service's own copy of the loaded years, and the handler that keeps it current
(``on_calendar_loaded``, on the table the service's context names)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, Integer, MetaData, String, Table, delete, select
from sqlalchemy.orm import Session

from shared.bus.work import UnitOfWork
from shared.events import Envelope
from shared.events.catalog import CalendarDay, WorkdayCalendarLoaded
from shared.workdays.calendar import WorkdayCalendar
from shared.workdays.schedule import DayKind, YearSchedule, build_schedule

TABLE_NAME = "workday_calendar"


def workday_table(metadata: MetaData) -> Table:
    return Table(
        TABLE_NAME,
        metadata,
        Column("day", Date, primary_key=True),
        Column("year", Integer, nullable=False, index=True),
        Column("kind", String(10), nullable=False),
        Column("name", String(100), nullable=False, default=""),
        Column("loaded_at", DateTime(timezone=True), nullable=False),
    )


def loaded_years(session: Session, table: Table) -> dict[int, YearSchedule]:
    entries: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    for day, year, kind, name in session.execute(
        select(table.c.day, table.c.year, table.c.kind, table.c.name)
    ):
        entries[year].append((day, kind, name))
    return {year: build_schedule(year, days) for year, days in entries.items()}


def load_calendar(session: Session, table: Table) -> WorkdayCalendar:
    return WorkdayCalendar(loaded_years(session, table))


def replace_year(session: Session, table: Table, schedule: YearSchedule, at: datetime) -> None:
    """The year's days as given, replacing whatever was loaded for it before."""
    session.execute(delete(table).where(table.c.year == schedule.year))
    rows = [
        {"day": day, "year": schedule.year, "kind": kind.value, "name": name[:100], "loaded_at": at}
        for kind, days in (
            (DayKind.HOLIDAY, schedule.holidays),
            (DayKind.WORKDAY, schedule.workdays),
        )
        for day, name in days.items()
    ]
    session.execute(table.insert(), rows)


def announcement(schedule: YearSchedule, loaded_by: str, at: datetime) -> WorkdayCalendarLoaded:
    days = [
        CalendarDay(day=day, kind="holiday", name=name) for day, name in schedule.holidays.items()
    ] + [CalendarDay(day=day, kind="workday", name=name) for day, name in schedule.workdays.items()]
    return WorkdayCalendarLoaded(
        year=schedule.year,
        days=tuple(sorted(days, key=lambda d: d.day)),
        loaded_by=loaded_by,
        loaded_at=at,
    )


def schedule_of(payload: WorkdayCalendarLoaded) -> YearSchedule:
    return build_schedule(payload.year, ((d.day, d.kind, d.name) for d in payload.days))


def on_calendar_loaded(uow: UnitOfWork, event: Envelope[WorkdayCalendarLoaded]) -> None:
    """For a service that counts working days: keep each year assignment loads."""
    table = uow.context.workday_table()
    replace_year(uow.session, table, schedule_of(event.payload), event.payload.loaded_at)
