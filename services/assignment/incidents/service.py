"""Raising incidents, logging what is done about them, resolving them. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from services.assignment.field_visits.models import FieldVisit
from services.assignment.incidents.domain import (
    Entry,
    IncidentInvalid,
    Kind,
    check_raise,
    restore_allowed,
)
from services.assignment.incidents.models import Incident, IncidentEntry
from services.assignment.models import AssignedCase, Team
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import COLLECTORS, EVERYTHING, Principal, Role
from shared.bus.work import UnitOfWork
from shared.clock import as_utc
from shared.errors import Conflict, NotFound, ProblemError
from shared.events.catalog import IncidentLogged, IncidentReported, IncidentResolved


def may_see(session: Session, principal: Principal, incident: Incident) -> bool:
    if principal.role in EVERYTHING:
        return True
    if incident.raised_by == principal.subject or incident.supervisor_id == principal.subject:
        return True
    if principal.role == Role.BRANCH_MANAGER:
        return incident.branch_id is not None and incident.branch_id == principal.branch_id
    if principal.role in COLLECTORS:
        return False
    teams = supervised_teams(session, principal) or set()
    return incident.team_id is not None and incident.team_id in teams


def _reaches_team(session: Session, principal: Principal, team_id: str | None) -> bool:
    """Whether the caller may raise an incident on a case of this team: their own teams,
    their branch's for a branch manager, any for admins and HQ."""
    if principal.role in EVERYTHING:
        return True
    team = session.get(Team, team_id) if team_id else None
    if principal.role == Role.BRANCH_MANAGER:
        return team is not None and team.branch_id == principal.branch_id
    return team_id is not None and team_id in (supervised_teams(session, principal) or set())


def visible(session: Session, principal: Principal, incident_id: str) -> Incident:
    found = session.get(Incident, incident_id)
    if found is None or not may_see(session, principal, found):
        raise NotFound("incident")
    return found


def raise_incident(
    uow: UnitOfWork,
    principal: Principal,
    kind: Kind,
    what: str,
    *,
    occurred_at: datetime | None = None,
    case_id: str | None = None,
    client_ids: Sequence[str] = (),
    branch_id: str | None = None,
    visit: FieldVisit | None = None,
) -> Incident:
    """Record the incident, tell the supervisor at once (an alert on their list and the
    event) and announce it as ``IncidentReported``."""
    session, now = uow.session, uow.now
    clients = tuple(dict.fromkeys(client_ids))
    team_id = supervisor_id = None
    if visit is not None:
        case_id, team_id, supervisor_id = visit.case_id, visit.team_id, visit.supervisor_id
        clients = clients or (visit.client_id,)
    elif case_id is not None:
        case = session.get(AssignedCase, case_id)
        if case is None or not _reaches_team(session, principal, case.team_id):
            raise NotFound("case")
        team_id, clients = case.team_id, clients or (case.client_id,)
    team = session.get(Team, team_id) if team_id else None
    supervisor_id = supervisor_id or (team.supervisor_id if team else None)
    branch_id = branch_id or (team.branch_id if team else None) or principal.branch_id
    occurred = occurred_at or now
    try:
        check_raise(kind, occurred, now, clients)
    except IncidentInvalid as exc:
        raise ProblemError(422, str(exc)) from exc
    incident = Incident(
        id=str(uuid.uuid4()),
        kind=kind.value,
        what=what,
        case_id=case_id,
        client_ids=list(clients),
        branch_id=branch_id,
        team_id=team_id,
        visit_id=visit.id if visit else None,
        raised_by=principal.subject,
        raised_by_role=principal.role.value if principal.role else "",
        occurred_at=occurred,
        raised_at=now,
        supervisor_id=supervisor_id,
        supervisor_told_at=now if supervisor_id else None,
    )
    session.add(incident)
    if supervisor_id:
        session.add(
            _entry(incident.id, Entry.TOLD, now, "platform", "told on raising", supervisor_id)
        )
    session.flush()
    uow.emit(
        IncidentReported(
            incident_id=incident.id,
            kind=kind.value,
            what=what,
            client_ids=clients,
            branch_id=branch_id,
            team_id=team_id,
            visit_id=incident.visit_id,
            raised_by=principal.subject,
            occurred_at=occurred,
            raised_at=now,
            supervisor_id=supervisor_id,
            supervisor_told_at=incident.supervisor_told_at,
        ),
        case_id=case_id,
    )
    return incident


def field_emergency(
    uow: UnitOfWork, principal: Principal, visit_id: str, what: str, occurred_at: datetime | None
) -> Incident:
    """Raised by the visit's field collector (or its supervisor) from the visit."""
    visit = uow.session.get(FieldVisit, visit_id)
    allowed = visit is not None and (
        principal.role in EVERYTHING
        or principal.subject in (visit.field_collector_id, visit.supervisor_id)
    )
    if visit is None or not allowed:
        raise NotFound("field visit")
    return raise_incident(
        uow, principal, Kind.FIELD_EMERGENCY, what, occurred_at=occurred_at, visit=visit
    )


def log_entry(
    uow: UnitOfWork,
    principal: Principal,
    incident: Incident,
    entry: Entry,
    note: str,
    *,
    at: datetime | None = None,
    whom: str | None = None,
    restore_from_backup: bool = False,
) -> IncidentEntry:
    if incident.status != "open":
        raise Conflict("the incident is resolved")
    if restore_from_backup and not restore_allowed(principal.role or ""):
        raise ProblemError(403, "a restore from backup is approved and supervised by HQ")
    if entry is Entry.TOLD and not whom:
        raise ProblemError(422, "whom: who was told")
    when = as_utc(at or uow.now)
    if when > uow.now:
        raise ProblemError(422, "at: not later than now")
    if when < as_utc(incident.occurred_at):
        raise Conflict("at: not before the incident happened")
    row = _entry(incident.id, entry, when, principal.subject, note, whom, restore_from_backup)
    uow.session.add(row)
    uow.session.flush()
    uow.emit(
        IncidentLogged(
            incident_id=incident.id,
            entry=entry.value,
            at=when,
            by=principal.subject,
            whom=whom,
            note=note,
            restore_from_backup=restore_from_backup,
        ),
        case_id=incident.case_id,
    )
    return row


def resolve(
    uow: UnitOfWork, principal: Principal, incident: Incident, resolution: str, outcome: str
) -> Incident:
    if incident.status != "open":
        raise Conflict("the incident is resolved already")
    incident.status, incident.resolved_at, incident.resolved_by = (
        "resolved",
        uow.now,
        principal.subject,
    )
    incident.resolution, incident.outcome = resolution, outcome
    uow.session.add(incident)
    uow.session.flush()
    uow.emit(
        IncidentResolved(
            incident_id=incident.id,
            kind=incident.kind,
            occurred_at=incident.occurred_at,
            resolved_at=uow.now,
            resolved_by=principal.subject,
            resolution=resolution,
            outcome=outcome,
        ),
        case_id=incident.case_id,
    )
    return incident


def listed(
    session: Session, principal: Principal, status: str | None, alerts_only: bool = False
) -> list[Incident]:
    query = select(Incident).order_by(col(Incident.occurred_at).desc()).limit(500)
    if status:
        query = query.where(Incident.status == status)
    if alerts_only:
        query = query.where(
            Incident.supervisor_id == principal.subject,
            Incident.kind == Kind.FIELD_EMERGENCY.value,
            Incident.status == "open",
        )
    return [i for i in session.exec(query) if may_see(session, principal, i)]


def entries_of(session: Session, incident_id: str) -> list[IncidentEntry]:
    query = select(IncidentEntry).where(IncidentEntry.incident_id == incident_id)
    return list(session.exec(query.order_by(col(IncidentEntry.id))))


def _entry(
    incident_id: str,
    entry: Entry,
    at: datetime,
    by: str,
    note: str,
    whom: str | None = None,
    restore: bool = False,
) -> IncidentEntry:
    return IncidentEntry(
        incident_id=incident_id, entry=entry.value, at=at, by=by, whom=whom, note=note,
        restore_from_backup=restore,
    )  # fmt: skip
