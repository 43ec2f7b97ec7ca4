"""A supervisor gives or moves a case by hand, with a reason. Never commits."""

from __future__ import annotations

from sqlmodel import Session

from services.assignment.models import AssignedCase, AssignmentRecord, Staff
from services.assignment.placing import store
from services.assignment.placing.domain import first_action_due
from services.assignment.placing.service import assignable_member, managed_case_in
from services.assignment.teams.service import supervised_teams
from shared.auth.principal import Principal
from shared.bus.work import UnitOfWork
from shared.errors import Conflict
from shared.events.catalog import CaseAssigned, CaseReassigned


def managed_case(session: Session, principal: Principal, case_id: str) -> AssignedCase:
    return managed_case_in(session, supervised_teams(session, principal), case_id)


def assignable_collector(session: Session, principal: Principal, collector_id: str) -> Staff:
    return assignable_member(session, supervised_teams(session, principal), collector_id)


def assign_by_hand(
    uow: UnitOfWork, principal: Principal, case_id: str, collector_id: str, reason: str
) -> AssignmentRecord:
    session = uow.session
    case = managed_case(session, principal, case_id)
    member = assignable_collector(session, principal, collector_id)
    return move_case(uow, case, member, reason, principal.subject)


def move_case(
    uow: UnitOfWork, case: AssignedCase, member: Staff, reason: str, by_staff_id: str
) -> AssignmentRecord:
    """Give the case to ``member``: held, counted, recorded, announced (``CaseAssigned``
    or ``CaseReassigned``)."""
    session = uow.session
    previous = case.collector_id
    if previous == member.id:
        raise Conflict("the collector already holds the case")
    now = uow.now
    case.collector_id, case.team_id, case.assigned_at = member.id, member.team_id, now
    case.waiting_reason = None
    member.open_cases += 1
    if previous is not None and (before := session.get(Staff, previous)) is not None:
        before.open_cases = max(0, before.open_cases - 1)
        session.add(before)
    record = AssignmentRecord(
        case_id=case.id,
        from_collector_id=previous,
        to_collector_id=member.id,
        team_id=member.team_id,
        at=now,
        how="hand",
        by_staff_id=by_staff_id,
        reason=reason,
    )
    session.add_all([case, member, record])
    session.flush()
    store.show_holders(
        session,
        [
            {
                "case_id": case.id,
                "client_id": case.client_id,
                "collector_id": member.id,
                "team_id": member.team_id,
                "branch_id": member.branch_id,
            }
        ],
    )
    due = first_action_due(now)
    if previous is None and case.first_contact_due is not None and case.first_contact_at is None:
        case.first_contact_due = case.next_action_due = due
    where = {"client_id": case.client_id, "team_id": member.team_id, "branch_id": member.branch_id}
    if previous is None:
        event = CaseAssigned(
            **where, collector_id=member.id, assigned_at=now, due_first_action_by=due
        )
    else:
        event = CaseReassigned(
            **where,
            from_collector_id=previous,
            collector_id=member.id,
            reason=reason,
            reassigned_at=now,
            due_first_action_by=due,
        )
    uow.emit(event, case_id=case.id)
    return record
