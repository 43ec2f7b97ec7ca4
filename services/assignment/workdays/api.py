"""Routes for the working-day calendar: load a year's schedule, see where each year's days
come from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, status

from services.assignment.models import WORKDAYS
from services.assignment.workdays import service
from services.assignment.workdays.schemas import YearBody, YearLoaded
from shared.auth.principal import Principal, Role, Scope
from shared.auth.web import ANY_STAFF, PrincipalDep, access
from shared.bus.work import UnitOfWork
from shared.errors import Problem, ProblemError
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep
from shared.web.files import NonEmptyUpload, file_types
from shared.workdays import ScheduleError, YearSchedule, parse_schedule_text
from shared.workdays.health import calendar_details
from shared.workdays.schedule import FIRST_YEAR, LAST_YEAR, build_schedule
from shared.workdays.tables import load_calendar

calendar = APIRouter(prefix="/calendar", tags=["calendar"])

Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="e.g. 2027")]
MAX_FILE_BYTES = 64 * 1024


def _loaded(uow: UnitOfWork, principal: Principal, schedule: YearSchedule) -> YearLoaded:
    recounted = service.load_year(uow, schedule, principal.subject)
    return YearLoaded(
        year=schedule.year,
        holidays=len(schedule.holidays),
        workdays=len(schedule.workdays),
        deadlines_recounted=recounted,
    )


@calendar.post(
    "/years/{year}",
    status_code=status.HTTP_201_CREATED,
    response_model=YearLoaded,
    summary="Load a year's public holidays and adjusted working days (admins)",
    description="Replaces what was loaded for the year before; every service receives it "
    "(`WorkdayCalendarLoaded`) and uses it ahead of its own estimate. Every day lies in "
    "`year` and is listed once, and at least one is a holiday (else 422).",
    dependencies=[access(Role.ADMIN, scope=Scope.ALL)],
    responses={422: {"model": Problem}},
)
def load_year(year: Year, body: YearBody, uow: WorkDep, principal: PrincipalDep) -> YearLoaded:
    try:
        schedule = build_schedule(year, ((d.day, d.kind, d.name) for d in body.days))
    except ScheduleError as exc:
        raise ProblemError(422, str(exc)) from exc
    return _loaded(uow, principal, schedule)


@calendar.post(
    "/years/{year}/file",
    status_code=status.HTTP_201_CREATED,
    response_model=YearLoaded,
    summary="Load a year from a text file of `date,kind,name` lines (admins)",
    description="Multipart part `file`: UTF-8 text, one day a line, e.g. "
    "`2027-10-01,holiday,国庆节` or `2027-09-26,workday,国庆节调休`; a `date,kind,name` "
    "header and `#` comments are allowed. As for the JSON form, every day lies in `year` "
    "and is listed once, and at least one is a holiday (else 422).",
    dependencies=[access(Role.ADMIN, scope=Scope.ALL)],
    openapi_extra=file_types("file", "text/csv"),
    responses={422: {"model": Problem}},
)
def load_year_file(
    year: Year, file: NonEmptyUpload, uow: WorkDep, principal: PrincipalDep
) -> YearLoaded:
    raw = file.file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ProblemError(422, f"the file is larger than {MAX_FILE_BYTES} bytes")
    try:
        schedule = parse_schedule_text(year, raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ProblemError(422, "the file is not UTF-8 text") from exc
    except ScheduleError as exc:
        raise ProblemError(422, str(exc)) from exc
    return _loaded(uow, principal, schedule)


@calendar.get(
    "/years",
    summary="Where this year's and next year's working days come from",
    description="`loaded` (an admin loaded it), `package` (the published calendar shipped "
    "with the platform) or `estimated` (weekends and fixed-date holidays only; deadlines "
    "counted on it are marked estimated).",
    dependencies=[ANY_STAFF],
)
def calendar_years(session: ReaderDep, runtime: RuntimeDep) -> dict[str, Any]:
    return calendar_details(load_calendar(session, WORKDAYS), runtime.clock())
