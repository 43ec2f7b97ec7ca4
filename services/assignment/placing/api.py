"""Routes for the assignment queue, the 1-business-day clock, assigning by hand and a
case's assignment history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.assignment.placing import service, store
from services.assignment.placing.by_hand import assign_by_hand
from services.assignment.placing.schemas import (
    AssignmentEntry,
    AssignmentPublic,
    HandAssignment,
    Queue,
    WaitingCase,
)
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import ANY_STAFF, PrincipalDep, VisibleCaseDep, access
from shared.clock import as_utc
from shared.errors import Problem
from shared.web.deps import ReaderDep, RuntimeDep, WorkDep

assignments = APIRouter(tags=["assignments"])
cases = APIRouter(prefix="/cases", tags=["assignments"])

MANAGERS = access(Role.ADMIN, Role.SUPERVISOR, scope=Scope.TEAM)


@assignments.get(
    "/assignments/queue",
    response_model=Queue,
    summary="Cases nobody could take, with the reason, oldest deadline first",
    description="Also counts the 1-business-day clock: cases waiting past it and cases "
    "assigned after it. Supervisors and team leads see their teams' and unrouted cases.",
    dependencies=[access(EVERYTHING, TEAM_WIDE)],
)
def waiting_queue(
    principal: PrincipalDep,
    session: ReaderDep,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Queue:
    now = runtime.clock()
    teams = supervised_teams(session, principal)
    rows = store.waiting_cases(session, teams, limit, offset)
    items = [
        WaitingCase(
            case_id=r.id,
            client_id=r.client_id,
            team_id=r.team_id,
            reason=r.waiting_reason,
            entered_at=r.entered_at,
            assign_due_by=r.assign_due_by,
            due_estimated=r.due_estimated,
            past_due=r.assign_due_by is not None and as_utc(r.assign_due_by) < now,
        )
        for r in rows
    ]
    return Queue(**store.clock_counts(session, teams, now), items=items)


@assignments.post(
    "/cases/{case_id}/assignment",
    response_model=AssignmentEntry,
    summary="Assign or reassign a case by hand, with a reason (supervisors, admins)",
    description="Announced as `CaseAssigned` (first holder) or `CaseReassigned`, with the "
    "2-hour first-action deadline.",
    dependencies=[MANAGERS],
    responses={404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}},
)
def assign_case(
    case_id: str, body: HandAssignment, principal: PrincipalDep, uow: WorkDep
) -> AssignmentEntry:
    record = assign_by_hand(uow, principal, case_id, body.collector_id, body.reason)
    return AssignmentEntry.model_validate(record, from_attributes=True)


@assignments.get(
    "/cases/{case_id}/assignments",
    response_model=list[AssignmentEntry],
    summary="Who held a case: every assignment, by rule or by hand, oldest first",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def case_history(scope: VisibleCaseDep, session: ReaderDep) -> list[AssignmentEntry]:
    records = store.history(session, scope.case_id)
    return [AssignmentEntry.model_validate(r, from_attributes=True) for r in records]


@cases.get(
    "/{case_id}",
    response_model=AssignmentPublic,
    summary="Who holds a case",
    dependencies=[ANY_STAFF],
    responses={404: {"model": Problem}},
)
def get_assignment(scope: VisibleCaseDep, session: ReaderDep) -> AssignmentPublic:
    case = service.held_case(session, scope.case_id)
    return AssignmentPublic(
        case_id=case.id,
        client_id=case.client_id,
        collector_id=case.collector_id,
        assigned_at=case.assigned_at,
        closed_at=case.closed_at,
        close_outcome=case.close_outcome,
        close_reason=case.close_reason,
    )
