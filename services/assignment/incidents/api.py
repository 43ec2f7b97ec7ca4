"""Incidents over HTTP: raise one (or a field emergency from a visit), log actions, who was
told and contacts while it is open, resolve it; supervisors' alerts of open emergencies."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status

from services.assignment.incidents import service
from services.assignment.incidents.models import Incident
from services.assignment.incidents.schemas import (
    EmergencyBody,
    EntryBody,
    EntryPublic,
    IncidentBody,
    IncidentPublic,
    Resolution,
)
from shared.auth.principal import ALL_STAFF, EVERYTHING, TEAM_WIDE, Role, Scope
from shared.auth.web import PrincipalDep, access
from shared.errors import Problem
from shared.web.deps import ReaderDep, WorkDep

router = APIRouter(tags=["incidents"])
RAISERS = access(EVERYTHING, TEAM_WIDE, Role.BRANCH_MANAGER)
ANYONE = access(ALL_STAFF)
# An incident naming a case reaches the caller's teams (their branch's for a branch
# manager); one naming none (an outage, force majeure) belongs to no team.
RAISE = access(EVERYTHING, TEAM_WIDE, Role.BRANCH_MANAGER, scope=Scope.TEAM)
# Logging and resolving reach the incidents of the teams one oversees (service.visible).
WORK_ON = access(ALL_STAFF, scope=Scope.TEAM)
RESOLVE = access(EVERYTHING, TEAM_WIDE, Role.BRANCH_MANAGER, scope=Scope.TEAM)
ERRORS = {404: {"model": Problem}, 409: {"model": Problem}, 422: {"model": Problem}}


def _full(session: ReaderDep, incident: Incident) -> IncidentPublic:
    log = [EntryPublic(**e.model_dump()) for e in service.entries_of(session, incident.id)]
    return IncidentPublic.of(incident, log)


@router.post(
    "/incidents",
    status_code=status.HTTP_201_CREATED,
    response_model=IncidentPublic,
    summary="Raise an incident (admins, HQ, supervisors, team leads, branch managers)",
    dependencies=[RAISE],
    responses=ERRORS,
)
def raise_incident(body: IncidentBody, principal: PrincipalDep, uow: WorkDep) -> IncidentPublic:
    found = service.raise_incident(
        uow,
        principal,
        body.kind,
        body.what,
        occurred_at=body.occurred_at,
        case_id=body.case_id,
        client_ids=body.client_ids,
        branch_id=body.branch_id,
    )
    return _full(uow.session, found)


@router.post(
    "/field-visits/{visit_id}/emergency",
    status_code=status.HTTP_201_CREATED,
    response_model=IncidentPublic,
    summary="A field emergency from the visit: the supervisor is alerted at once",
    dependencies=[access(Role.FIELD_COLLECTOR, Role.SUPERVISOR, EVERYTHING, scope=Scope.TEAM)],
    responses=ERRORS,
)
def field_emergency(
    visit_id: str, body: EmergencyBody, principal: PrincipalDep, uow: WorkDep
) -> IncidentPublic:
    found = service.field_emergency(uow, principal, visit_id, body.what, body.occurred_at)
    return _full(uow.session, found)


@router.get(
    "/incidents",
    response_model=list[IncidentPublic],
    summary="Incidents the caller may see, newest first",
    dependencies=[ANYONE],
)
def list_incidents(
    principal: PrincipalDep,
    session: ReaderDep,
    status: Literal["open", "resolved"] | None = None,
) -> list[IncidentPublic]:
    return [IncidentPublic.of(i) for i in service.listed(session, principal, status)]


@router.get(
    "/incidents/alerts",
    response_model=list[IncidentPublic],
    summary="A supervisor's alerts: open field emergencies they were told of",
    dependencies=[ANYONE],
)
def incident_alerts(principal: PrincipalDep, session: ReaderDep) -> list[IncidentPublic]:
    return [_full(session, i) for i in service.listed(session, principal, None, alerts_only=True)]


@router.get(
    "/incidents/{incident_id}",
    response_model=IncidentPublic,
    summary="One incident with its log",
    dependencies=[ANYONE],
    responses=ERRORS,
)
def get_incident(incident_id: str, principal: PrincipalDep, session: ReaderDep) -> IncidentPublic:
    return _full(session, service.visible(session, principal, incident_id))


@router.post(
    "/incidents/{incident_id}/log",
    status_code=status.HTTP_201_CREATED,
    response_model=IncidentPublic,
    summary="Log an action, who was told, or a contact while the incident is open",
    dependencies=[WORK_ON],
    responses=ERRORS,
)
def log_entry(
    incident_id: str, body: EntryBody, principal: PrincipalDep, uow: WorkDep
) -> IncidentPublic:
    incident = service.visible(uow.session, principal, incident_id)
    service.log_entry(
        uow,
        principal,
        incident,
        body.entry,
        body.note,
        at=body.at,
        whom=body.whom,
        restore_from_backup=body.restore_from_backup,
    )
    return _full(uow.session, incident)


@router.post(
    "/incidents/{incident_id}/resolve",
    response_model=IncidentPublic,
    summary="Resolve an incident with its resolution and outcome",
    dependencies=[RESOLVE],
    responses=ERRORS,
)
def resolve(
    incident_id: str, body: Resolution, principal: PrincipalDep, uow: WorkDep
) -> IncidentPublic:
    incident = service.visible(uow.session, principal, incident_id)
    service.resolve(uow, principal, incident, body.resolution, body.outcome)
    return _full(uow.session, incident)
