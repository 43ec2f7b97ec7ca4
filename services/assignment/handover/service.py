"""A collector leaving or going on leave hands their open cases over in one record: to
named phone collectors (most spare capacity first), else back through the rules; a case
nobody can take goes to the queue with the reason. A field collector's open visit orders
go to the field collector named among the successors. Never commits: the boundary does."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session

from services.assignment.field_visits.service import hand_over_visits
from services.assignment.handover.models import Handover, HandoverCase
from services.assignment.models import Staff, StaffStatus, Team
from services.assignment.placing import service as placing
from services.assignment.teams.service import announce_collector, managed_member, supervised_teams
from shared.auth.principal import COLLECTORS, Principal, Role
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.errors import ProblemError


def hand_over(
    uow: UnitOfWork,
    principal: Principal,
    leaver_id: str,
    leaving: StaffStatus,
    notes: str,
    successor_ids: Sequence[str],
) -> Handover:
    session = uow.session
    leaver = managed_member(session, principal, leaver_id)
    if leaver.role not in COLLECTORS:
        raise ProblemError(422, "from_collector_id is not a collector")
    if leaving is StaffStatus.ACTIVE:
        raise ProblemError(422, "a handover is for a collector leaving or going on leave")
    if leaver_id in successor_ids:
        raise ProblemError(422, "a collector cannot be their own successor")
    teams = supervised_teams(session, principal)
    callers, field = placing.successors_of(session, teams, successor_ids)
    leaver.status, leaver.active = leaving.value, leaving is not StaffStatus.LEFT
    session.add(leaver)
    session.flush()
    announce_collector(uow, leaver)
    moves = placing.plan_reassignment(session, leaver.id, callers, to_local(uow.now).date())
    handover = Handover(
        id=str(uuid.uuid4()),
        from_collector_id=leaver.id,
        reason=leaving.value,
        notes=notes,
        supervised_by=_team_lead(session, principal, leaver),
        by_staff_id=principal.subject,
        team_id=leaver.team_id,
        at=uow.now,
        moved=sum(1 for m in moves if m.to is not None),
        queued=sum(1 for m in moves if m.to is None),
    )
    handover.visits_moved = hand_over_visits(
        uow, leaver, field, {m.facts.case_id: m.to.id for m in moves if m.to}
    )
    session.add(handover)
    session.add_all(
        HandoverCase(
            handover_id=handover.id,
            case_id=m.facts.case_id,
            to_collector_id=m.to.id if m.to else None,
            queued_reason=None if m.to else m.why,
        )
        for m in moves
    )
    placing.reassign_leavers_cases(
        uow, leaver, moves, handover_id=handover.id, by_staff_id=handover.by_staff_id
    )
    session.flush()
    return handover


def _team_lead(session: Session, principal: Principal, leaver: Staff) -> str | None:
    if principal.role is Role.TEAM_LEAD:
        return principal.subject
    team = session.get(Team, leaver.team_id) if leaver.team_id else None
    return team.lead_id if team else None
