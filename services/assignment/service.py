"""Assignment's use cases. They never commit: the boundary's unit of work does."""

from __future__ import annotations

import uuid

from services.assignment import store
from services.assignment.domain import first_action_due, next_in_rotation
from services.assignment.models import AssignedCase, Collector
from shared.bus.work import UnitOfWork
from shared.events.catalog import CaseAssigned


def add_collector(
    uow: UnitOfWork, name: str, role: str, team_id: str | None, branch_id: str | None
) -> Collector:
    collector = Collector(
        id=str(uuid.uuid4()),
        name=name,
        role=role,
        team_id=team_id,
        branch_id=branch_id,
        active=True,
        created_at=uow.now,
    )
    uow.session.add(collector)
    uow.session.flush()
    assign_waiting_cases(uow)
    return collector


def receive_case(uow: UnitOfWork, case_id: str, client_id: str) -> None:
    """A new case arrived from intake: keep our copy and give it to the next collector."""
    case = uow.session.get(AssignedCase, case_id)
    if case is None:
        case = AssignedCase(id=case_id, client_id=client_id, imported_at=uow.now)
        uow.session.add(case)
        uow.session.flush()
    if case.collector_id is None:
        assign(uow, case)


def assign(uow: UnitOfWork, case: AssignedCase) -> bool:
    active = store.active_phone_collector_ids(uow.session)
    cursor = store.cursor(uow.session)
    chosen = next_in_rotation(active, cursor.last_collector_id)
    if chosen is None:
        return False
    collector = uow.session.get(Collector, chosen)
    assert collector is not None
    case.collector_id = chosen
    case.assigned_at = uow.now
    cursor.last_collector_id = chosen
    uow.session.add_all([case, cursor])
    uow.emit(
        CaseAssigned(
            client_id=case.client_id,
            collector_id=chosen,
            team_id=collector.team_id,
            branch_id=collector.branch_id,
            assigned_at=uow.now,
            due_first_action_by=first_action_due(uow.now),
        ),
        case_id=case.id,
    )
    return True


def assign_waiting_cases(uow: UnitOfWork) -> int:
    """Cases that arrived while no collector was active are assigned once one is."""
    count = 0
    for case in store.unassigned_cases(uow.session):
        if not assign(uow, case):
            break
        count += 1
    return count
