"""The working-day calendar: the package's years, adjusted working days, loaded years and
the marked estimate for a year nobody published."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.clock import SHANGHAI
from shared.workdays import ScheduleError, WorkdayCalendar, parse_schedule_text
from shared.workdays.calendar import Source
from shared.workdays.health import calendar_details

SCHEDULE_2027 = """date,kind,name
# 元旦 and 国庆节 only, enough to see them used
2027-01-01,holiday,元旦
2027-01-04,holiday,元旦调休
2027-10-01,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-10-09,workday,国庆节调休
"""


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_the_2026_national_day_week_is_skipped_and_the_deadline_exact() -> None:
    calendar = WorkdayCalendar()
    deadline = calendar.add_workdays(local(2026, 9, 30, 15, 30), 1)
    assert deadline.due == local(2026, 10, 8, 15, 30)
    assert deadline.due.tzinfo is not None and not deadline.estimated
    assert not any(calendar.is_workday(date(2026, 10, d)) for d in range(1, 8))


def test_adjusted_working_weekend_days_of_2026_count() -> None:
    calendar = WorkdayCalendar()
    assert calendar.is_workday(date(2026, 9, 20)), "Sunday worked for National Day"
    assert calendar.is_workday(date(2026, 10, 10)), "Saturday worked for National Day"
    assert not calendar.is_workday(date(2026, 10, 11))
    assert calendar.add_workdays(local(2026, 9, 18, 10), 1).due == local(2026, 9, 20, 10)
    assert calendar.add_workdays(local(2026, 10, 9, 10), 1).due == local(2026, 10, 10, 10)


def test_a_start_on_a_day_off_counts_from_the_next_working_morning() -> None:
    deadline = WorkdayCalendar().add_workdays(local(2026, 10, 3, 11), 1)
    assert deadline.due == local(2026, 10, 9, 0, 0)


def test_a_2027_date_without_a_schedule_is_estimated_and_does_not_crash() -> None:
    calendar = WorkdayCalendar()
    new_year = calendar.add_workdays(local(2026, 12, 31, 9), 1)
    assert new_year.due == local(2027, 1, 4, 9) and new_year.estimated
    national = calendar.add_workdays(local(2027, 9, 30, 9), 1)
    assert national.due == local(2027, 10, 4, 9), "only 1–3 October are known without a schedule"
    assert national.estimated
    assert calendar.estimated_years([2026, 2027]) == [2027]


def test_a_loaded_2027_schedule_is_used_ahead_of_the_estimate() -> None:
    schedule = parse_schedule_text(2027, SCHEDULE_2027)
    calendar = WorkdayCalendar({2027: schedule})
    national = calendar.add_workdays(local(2027, 9, 30, 9), 1)
    assert national == calendar.add_workdays(local(2027, 9, 30, 9), 1)
    assert national.due == local(2027, 10, 8, 9) and not national.estimated
    assert calendar.add_workdays(local(2027, 10, 8, 9), 1).due == local(2027, 10, 9, 9)
    assert calendar.add_workdays(local(2026, 12, 31, 9), 1).due == local(2027, 1, 5, 9)
    assert calendar.source_of(2027) is Source.LOADED and calendar.estimated_years([2027]) == []


def test_a_loaded_year_overrides_the_package() -> None:
    moved = parse_schedule_text(2026, "2026-09-21,holiday,测试\n2026-09-20,holiday,测试")
    calendar = WorkdayCalendar({2026: moved})
    assert not calendar.is_workday(date(2026, 9, 20))
    assert calendar.is_workday(date(2026, 10, 2)), "a loaded year replaces the package's whole"


def test_readiness_details_name_the_estimated_years() -> None:
    details = calendar_details(WorkdayCalendar(), datetime(2026, 11, 23, 2, tzinfo=UTC))
    assert details["estimated_years"] == [2027]
    assert details["sources"] == {"2026": "package", "2027": "estimated"}
    loaded = WorkdayCalendar({2027: parse_schedule_text(2027, SCHEDULE_2027)})
    assert calendar_details(loaded, datetime(2026, 11, 23, tzinfo=UTC))["estimated_years"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2028-01-01,holiday,元旦", "not in 2027"),
        ("2027-01-01,holiday,a\n2027-01-01,workday,b", "listed twice"),
        ("2027-01-01,festival,元旦", "kind must be"),
        ("01/01/2027,holiday,元旦", "YYYY-MM-DD"),
        ("2027-10-09,workday,调休", "no holidays"),
        ("2027-01-01", "expected date,kind,name"),
    ],
)
def test_a_bad_schedule_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule_text(2027, text)
