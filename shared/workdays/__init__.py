"""Mainland working days with adjusted working days (调休), for every service."""

from shared.workdays.calendar import Deadline, WorkdayCalendar
from shared.workdays.schedule import DayKind, ScheduleError, YearSchedule, parse_schedule_text

__all__ = [
    "DayKind",
    "Deadline",
    "ScheduleError",
    "WorkdayCalendar",
    "YearSchedule",
    "parse_schedule_text",
]
