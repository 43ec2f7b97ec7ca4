"""Field visits from order to sign-off. Never commits: the boundary does."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from services.assignment.approvals.domain import Kind, Request
from services.assignment.approvals.service import Approval, request_approval
from services.assignment.field_visits import store
from services.assignment.field_visits.domain import (
    OPEN,
    VISIT_WITHIN_WORKDAYS,
    QuietHours,
    StepRefused,
    VisitStatus,
    advance,
    plan_needs_approval,
)
from services.assignment.field_visits.models import FieldVisit
from services.assignment.models import WORKDAYS, AssignedCase, Staff, StaffStatus, Team
from services.assignment.strategy.service import local_day
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import COLLECTORS, EVERYTHING, TEAM_WIDE, Principal, Role
from shared.bus.work import UnitOfWork
from shared.clock import SHANGHAI, as_utc, to_local
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import (
    FieldVisitCompleted,
    FieldVisitOrdered,
    FieldVisitReported,
    FieldVisitSignedOff,
)
from shared.places import zone
from shared.workdays.tables import load_calendar


def order_visits(
    uow: UnitOfWork,
    principal: Principal,
    field_collector_id: str,
    wanted: Sequence[tuple[str, str]],
) -> list[FieldVisit]:
    """The phone collector's daily list, ``(case_id, purpose)`` each: one order per case,
    due 2 business days after this handoff, filed with the team's supervisor."""
    session, now = uow.session, uow.now
    field = session.get(Staff, field_collector_id)
    if field is None or field.role != Role.FIELD_COLLECTOR.value:
        raise ProblemError(422, "field_collector_id is not a field collector")
    if field.status != StaffStatus.ACTIVE.value:
        raise ProblemError(422, f"the field collector is {field.status}")
    if len({case_id for case_id, _ in wanted}) != len(wanted):
        raise ProblemError(422, "a case is on the list twice")
    me = session.get(Staff, principal.subject)
    team = session.get(Team, me.team_id) if me and me.team_id else None
    deadline = load_calendar(session, WORKDAYS).add_workdays(now, VISIT_WITHIN_WORKDAYS)
    visits = []
    for case_id, purpose in wanted:
        case = session.get(AssignedCase, case_id)
        if case is None or case.collector_id != principal.subject:
            raise NotFound(f"case {case_id}")
        if case.closed_at is not None:
            raise Conflict(f"case {case_id} is closed ({case.close_outcome}); it needs no visit")
        visit = FieldVisit(
            id=str(uuid.uuid4()),
            case_id=case.id,
            client_id=case.client_id,
            list_date=local_day(now),
            phone_collector_id=principal.subject,
            field_collector_id=field.id,
            supervisor_id=team.supervisor_id if team else None,
            team_id=case.team_id,
            purpose=purpose,
            status=VisitStatus.ORDERED.value,
            ordered_at=now,
            due_by=deadline.due,
            due_estimated=deadline.estimated,
        )
        session.add(visit)
        visits.append(visit)
        uow.emit(
            FieldVisitOrdered(
                visit_id=visit.id,
                field_collector_id=field.id,
                ordered_by=principal.subject,
                due_by=deadline.due,
                client_id=case.client_id,
                phone_collector_id=principal.subject,
                due_estimated=deadline.estimated,
            ),
            case_id=case.id,
        )
    session.flush()
    return visits


def may_see(session: Session, principal: Principal, visit: FieldVisit) -> bool:
    role = principal.role
    if role in EVERYTHING:
        return True
    if role in COLLECTORS:
        return principal.subject in (visit.field_collector_id, visit.phone_collector_id)
    if role in TEAM_WIDE:
        teams = supervised_teams(session, principal) or set()
        return visit.team_id in teams or visit.supervisor_id == principal.subject
    return False


def visible_visit(session: Session, principal: Principal, visit_id: str) -> FieldVisit:
    visit = session.get(FieldVisit, visit_id)
    if visit is None or not may_see(session, principal, visit):
        raise NotFound("field visit")
    return visit


def _own(session: Session, principal: Principal, visit_id: str, who: str) -> FieldVisit:
    """The visit if the caller is its field (``who="field"``) or phone collector; else 404."""
    visit = session.get(FieldVisit, visit_id)
    holder = None if visit is None else getattr(visit, f"{who}_collector_id")
    if visit is None or holder != principal.subject:
        raise NotFound("field visit")
    return visit


def _step(visit: FieldVisit, to: VisitStatus) -> None:
    try:
        visit.status = advance(VisitStatus(visit.status), to).value
    except StepRefused as exc:
        raise Conflict(str(exc)) from exc


def file_plan(
    uow: UnitOfWork,
    principal: Principal,
    visit_id: str,
    *,
    planned_for: datetime,
    place: str,
    people: str,
    vehicle: str | None,
    quiet: QuietHours,
    default_zone: str,
) -> FieldVisit:
    """Filed with the supervisor, not approved: only a plan past the deadline is refused
    until a delay is approved, and one in quiet hours at the debtor until a supervisor
    records a reason for that very time."""
    visit = _own(uow.session, principal, visit_id, "field")
    tz = _debtor_zone(uow.session, visit, default_zone)
    planned = as_utc(planned_for)
    allowed = visit.quiet_hours_allowed_for
    if quiet.covers(planned, tz) and (allowed is None or as_utc(allowed) != planned):
        raise ProblemError(
            422,
            f"{quiet.describe(planned, tz)}: a plan for then needs the supervisor's recorded "
            f"reason first: POST /field-visits/{visit.id}/quiet-hours",
            errors=[{"location": "body.planned_for", "message": quiet.describe(planned, tz)}],
        )
    if plan_needs_approval(as_utc(planned_for), as_utc(visit.due_by)):
        raise ProblemError(
            422,
            f"the visit is due by {as_utc(visit.due_by).isoformat()}; a later plan needs the "
            f"supervisor's approval: POST /field-visits/{visit.id}/delay",
        )
    _step(visit, VisitStatus.PLANNED)
    visit.planned_for, visit.place, visit.people = planned_for, place, people
    visit.vehicle, visit.plan_filed_at = vehicle, uow.now
    uow.session.add(visit)
    return visit


def allow_quiet_hours(
    uow: UnitOfWork,
    principal: Principal,
    visit_id: str,
    planned_for: datetime,
    reason: str,
    *,
    quiet: QuietHours,
    default_zone: str,
) -> FieldVisit:
    """The supervisor's recorded reason to plan the visit at ``planned_for``, a time in
    quiet hours at the debtor (e.g. the only time a shop-keeping debtor is found)."""
    visit = visible_visit(uow.session, principal, visit_id)
    if VisitStatus(visit.status) not in OPEN:
        raise Conflict(f"the visit is {visit.status}; only an open visit is planned")
    planned = as_utc(planned_for)
    tz = _debtor_zone(uow.session, visit, default_zone)
    if not quiet.covers(planned, tz):
        raise ProblemError(
            422,
            f"{planned.astimezone(tz):%H:%M} at the debtor ({tz.key}) is outside quiet hours; "
            "the plan needs no reason",
            errors=[{"location": "body.planned_for", "message": "outside quiet hours"}],
        )
    visit.quiet_hours_allowed_for, visit.quiet_hours_reason = planned, reason
    visit.quiet_hours_allowed_by = principal.subject
    uow.session.add(visit)
    return visit


def _debtor_zone(session: Session, visit: FieldVisit, default_zone: str) -> ZoneInfo:
    case = session.get(AssignedCase, visit.case_id)
    return zone(case.timezone if case else None, default_zone)


def ask_delay(
    uow: UnitOfWork, principal: Principal, visit_id: str, until: date, reason: str
) -> Approval:
    visit = _own(uow.session, principal, visit_id, "field")
    if VisitStatus(visit.status) not in (VisitStatus.ORDERED, VisitStatus.PLANNED):
        raise Conflict(f"the visit is {visit.status}; only an open visit can be delayed")
    case = uow.session.get(AssignedCase, visit.case_id)
    if case is None:
        raise NotFound("case")
    request = Request(Kind.VISIT_DELAY, reason, principal.subject, until=until)
    return request_approval(uow, case, request, visit_id=visit.id)


def record_report(session: Session, report: FieldVisitReported) -> bool:
    """The contact service filed the field collector's report; ignored when the visit is
    unknown or already past this step (a redelivery)."""
    visit = session.get(FieldVisit, report.visit_id)
    if visit is None or VisitStatus(visit.status) not in (
        VisitStatus.ORDERED,
        VisitStatus.PLANNED,
    ):
        return False
    visit.status = VisitStatus.REPORTED.value
    visit.reported_at, visit.visited_at, visit.found = (
        report.reported_at,
        report.visited_at,
        report.found[:2000],
    )
    session.add(visit)
    return True


def enter_result(
    uow: UnitOfWork, principal: Principal, visit_id: str, result: str, improper: str | None
) -> FieldVisit:
    visit = _own(uow.session, principal, visit_id, "phone")
    _step(visit, VisitStatus.COMPLETED)
    visit.result, visit.improper_conduct = result, improper
    visit.completed_by, visit.completed_at = principal.subject, uow.now
    uow.session.add(visit)
    uow.emit(
        FieldVisitCompleted(
            visit_id=visit.id,
            result=result,
            improper_conduct=improper,
            entered_by=principal.subject,
            completed_at=uow.now,
        ),
        case_id=visit.case_id,
    )
    return visit


def sign_off(uow: UnitOfWork, principal: Principal, visit_id: str) -> FieldVisit:
    visit = visible_visit(uow.session, principal, visit_id)
    _step(visit, VisitStatus.SIGNED_OFF)
    visit.signed_off_by, visit.signed_off_at = principal.subject, uow.now
    uow.session.add(visit)
    uow.emit(
        FieldVisitSignedOff(
            visit_id=visit.id, signed_off_by=principal.subject, signed_off_at=uow.now
        ),
        case_id=visit.case_id,
    )
    return visit


def hand_over_visits(
    uow: UnitOfWork, leaver: Staff, successor: Staff | None, new_holders: Mapping[str, str]
) -> int:
    """A leaving field collector's open orders go to the named field collector, planned
    afresh (announced again as ``FieldVisitOrdered``); refused when nobody is named. The
    visits of cases that changed hands now wait for the new holder's result. Returns how
    many orders moved."""
    session = uow.session
    unfinished = col(FieldVisit.status).not_in([VisitStatus.SIGNED_OFF.value])
    if new_holders:
        for visit in session.exec(
            select(FieldVisit).where(col(FieldVisit.case_id).in_(list(new_holders)), unfinished)
        ):
            visit.phone_collector_id = new_holders[visit.case_id]
            session.add(visit)
    orders = list(
        session.exec(
            select(FieldVisit).where(
                FieldVisit.field_collector_id == leaver.id,
                col(FieldVisit.status).in_([s.value for s in OPEN]),
            )
        )
    )
    if not orders:
        return 0
    if successor is None:
        raise ProblemError(
            422,
            f"{leaver.name} has {len(orders)} open visit orders: name a field collector "
            "among successor_ids",
        )
    for visit in orders:
        visit.field_collector_id, visit.status = successor.id, VisitStatus.ORDERED.value
        visit.planned_for = visit.place = visit.people = visit.vehicle = None
        visit.plan_filed_at = None
        session.add(visit)
        uow.emit(
            FieldVisitOrdered(
                visit_id=visit.id,
                field_collector_id=successor.id,
                ordered_by=visit.phone_collector_id,
                due_by=as_utc(visit.due_by),
                client_id=visit.client_id,
                phone_collector_id=visit.phone_collector_id,
                due_estimated=visit.due_estimated,
            ),
            case_id=visit.case_id,
        )
    return len(orders)


def visible_scope(
    session: Session, principal: Principal
) -> tuple[str | None, Collection[str] | None, str]:
    """Whose visits the caller sees, as the store's queries take it."""
    if principal.role in COLLECTORS:
        return principal.subject, None, principal.subject
    return None, supervised_teams(session, principal), principal.subject


def visits_for(
    session: Session,
    principal: Principal,
    now: datetime,
    state: VisitStatus | None,
    overdue: bool | None,
    limit: int,
) -> Sequence[FieldVisit]:
    return store.visits(session, visible_scope(session, principal), now, state, overdue, limit)


def alerts_for(
    session: Session, principal: Principal, since: datetime, now: datetime, limit: int
) -> Sequence[FieldVisit]:
    scope = visible_scope(session, principal)
    return store.reported_or_overdue(session, scope, since, now, limit)


def delay_visit(session: Session, visit_id: str, until: date) -> None:
    """A granted delay: the visit is due on the approved day at the clock time it was
    first due."""
    visit = session.get(FieldVisit, visit_id)
    if visit is not None:
        local = to_local(visit.due_by)
        visit.due_by = datetime.combine(until, local.time(), tzinfo=SHANGHAI).astimezone(UTC)
        visit.due_estimated = False
        session.add(visit)
