"""Routes for field visits: the phone collector's daily list becomes visit orders; the
field collector files a plan (or asks for a delay); the contact service's report marks the
order reported; the phone collector enters the result; the supervisor signs off."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from services.assignment.approvals.schemas import ApprovalPublic
from services.assignment.field_visits import service
from services.assignment.field_visits.domain import QuietHours, VisitStatus
from services.assignment.field_visits.schemas import (
    Alert,
    DelayRequest,
    QuietHoursReason,
    VisitList,
    VisitPlan,
    VisitPublic,
    VisitResult,
)
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.clock import as_utc
from shared.errors import Problem
from shared.runtime import Runtime
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep
from shared.web.strict import IsoDatetime

field_visits = APIRouter(prefix="/field-visits", tags=["field visits"])

ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}
READERS = access(COLLECTORS, TEAM_WIDE, EVERYTHING)
_DAY = timedelta(days=1)


@field_visits.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=list[VisitPublic],
    summary="File today's field-visit list: one visit order per case (phone collectors)",
    description="Each order is due 2 business days after now and is filed with the team's "
    "supervisor; announced as `FieldVisitOrdered`. Only your own cases (else 404).",
    dependencies=[access(Role.PHONE_COLLECTOR, scope=Scope.OWN)],
    responses=ERRORS,
)
def order(body: VisitList, principal: PrincipalDep, uow: WorkDep) -> list[VisitPublic]:
    wanted = [(v.case_id, v.purpose) for v in body.visits]
    visits = service.order_visits(uow, principal, body.field_collector_id, wanted)
    return [VisitPublic.of(v, uow.now) for v in visits]


@field_visits.get(
    "",
    response_model=list[VisitPublic],
    summary="Visit orders you may see, soonest due first; overdue ones flagged",
    dependencies=[READERS],
)
def list_visits(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    state: Annotated[VisitStatus | None, Query(alias="status")] = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[VisitPublic]:
    now = runtime.clock()
    rows = service.visits_for(session, principal, now, state, overdue, limit)
    return [VisitPublic.of(v, now) for v in rows]


@field_visits.get(
    "/alerts",
    response_model=list[Alert],
    summary="The admin's alert list: visits reported (done) since a time, and every overdue one",
    dependencies=[access(EVERYTHING, Role.SUPERVISOR)],
)
def alerts(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    since: Annotated[
        IsoDatetime | None, Query(description="Done since (default: a day ago)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[Alert]:
    now = runtime.clock()
    start = as_utc(since) if since else now.replace(microsecond=0) - _DAY
    out = []
    for v in service.alerts_for(session, principal, start, now, limit):
        done = v.reported_at is not None
        at = as_utc(v.reported_at) if v.reported_at else as_utc(v.due_by)
        out.append(Alert(kind="done" if done else "overdue", at=at, visit=VisitPublic.of(v, now)))
    return out


@field_visits.get(
    "/{visit_id}",
    response_model=VisitPublic,
    summary="One visit order",
    dependencies=[READERS],
    responses={404: {"model": Problem}},
)
def get_visit(
    visit_id: str, principal: PrincipalDep, session: ReaderDep, runtime: RuntimeDep
) -> VisitPublic:
    return VisitPublic.of(service.visible_visit(session, principal, visit_id), runtime.clock())


@field_visits.put(
    "/{visit_id}/plan",
    response_model=VisitPublic,
    summary="File the visit plan: time, place, people, vehicle (the visit's field collector)",
    description="Filed with the supervisor, not approved. A time past the deadline is "
    "refused until a delay is approved (`POST /field-visits/{visit_id}/delay`); a time in "
    "quiet hours at the debtor until a supervisor records a reason for it "
    "(`POST /field-visits/{visit_id}/quiet-hours`).",
    dependencies=[access(Role.FIELD_COLLECTOR, scope=Scope.OWN)],
    responses=ERRORS,
)
def file_plan(
    visit_id: str, body: VisitPlan, principal: PrincipalDep, uow: WorkDep, runtime: RuntimeDep
) -> VisitPublic:
    visit = service.file_plan(
        uow, principal, visit_id, **body.model_dump(), **_quiet_hours(runtime)
    )
    return VisitPublic.of(visit, uow.now)


def _quiet_hours(runtime: Runtime) -> dict[str, Any]:
    settings = runtime.settings
    return {
        "quiet": QuietHours(settings.visit_quiet_from, settings.visit_quiet_until),
        "default_zone": settings.default_timezone,
    }


@field_visits.post(
    "/{visit_id}/quiet-hours",
    response_model=VisitPublic,
    summary="Record why the visit may be planned in quiet hours at the debtor (supervisors)",
    description="For one planned time inside quiet hours (`ASSIGNMENT_VISIT_QUIET_FROM` to "
    "`ASSIGNMENT_VISIT_QUIET_UNTIL`, the debtor's clock); the field collector may then file "
    "the plan for that time. The reason stays on the visit.",
    dependencies=[access(Role.SUPERVISOR, Role.ADMIN, scope=Scope.TEAM)],
    responses=ERRORS,
)
def allow_quiet_hours(
    visit_id: str,
    body: QuietHoursReason,
    principal: PrincipalDep,
    uow: WorkDep,
    runtime: RuntimeDep,
) -> VisitPublic:
    visit = service.allow_quiet_hours(
        uow, principal, visit_id, body.planned_for, body.reason, **_quiet_hours(runtime)
    )
    return VisitPublic.of(visit, uow.now)


@field_visits.post(
    "/{visit_id}/delay",
    status_code=status.HTTP_201_CREATED,
    response_model=ApprovalPublic,
    summary="Ask the supervisor to approve doing the visit later than 2 business days",
    description="An approval of kind `visit_delay`; once granted the visit is due on the "
    "approved day.",
    dependencies=[access(Role.FIELD_COLLECTOR, scope=Scope.OWN)],
    responses=ERRORS,
)
def ask_delay(
    visit_id: str, body: DelayRequest, principal: PrincipalDep, uow: WorkDep
) -> ApprovalPublic:
    approval = service.ask_delay(uow, principal, visit_id, body.until, body.reason)
    return ApprovalPublic.of(approval)


@field_visits.post(
    "/{visit_id}/result",
    response_model=VisitPublic,
    summary="Enter the visit's result from the field report (the phone collector who ordered it)",
    description="Only after the contact service has the field collector's report. "
    "Announced as `FieldVisitCompleted`; may note improper conduct.",
    dependencies=[access(Role.PHONE_COLLECTOR, scope=Scope.OWN)],
    responses=ERRORS,
)
def enter_result(
    visit_id: str, body: VisitResult, principal: PrincipalDep, uow: WorkDep
) -> VisitPublic:
    visit = service.enter_result(uow, principal, visit_id, body.result, body.improper_conduct)
    return VisitPublic.of(visit, uow.now)


@field_visits.post(
    "/{visit_id}/sign-off",
    response_model=VisitPublic,
    summary="Review a completed visit and sign it off (supervisors, admins)",
    description="Announced as `FieldVisitSignedOff`.",
    dependencies=[access(Role.SUPERVISOR, Role.ADMIN, scope=Scope.TEAM)],
    responses=ERRORS,
)
def sign_off(visit_id: str, principal: PrincipalDep, uow: WorkDep) -> VisitPublic:
    return VisitPublic.of(service.sign_off(uow, principal, visit_id), uow.now)
