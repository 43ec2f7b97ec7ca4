"""Assignment's handlers on a real database, fed through dispatch (no broker)."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select

from services.assignment.models import BUS, SECURITY, AssignedCase
from services.assignment.staff import service
from shared.auth.principal import Role
from shared.auth.visibility import case_scope
from shared.events import decode
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported


def test_each_imported_case_goes_to_the_next_collector_and_is_announced(service_runtime) -> None:
    runtime = service_runtime("assignment")
    with runtime.work() as uow:
        ids = [
            service.add_staff(
                uow, username=f"c{i}", name=f"催收员{i}", role=Role.PHONE_COLLECTOR,
                password="a-long-password", team_id="T1",
            ).id
            for i in range(3)
        ]  # fmt: skip
    events = [case_imported(FIXED_NOW) for _ in range(6)]
    outcome = runtime.dispatch(events)
    assert outcome.handled_count == 6 and outcome.emitted == 6

    with runtime.db.reader() as session:
        holders = {c.id: c.collector_id for c in session.execute(select(AssignedCase)).scalars()}
        announced = [
            decode(body)
            for (body,) in session.execute(
                select(BUS.outbox.c.body)
                .where(BUS.outbox.c.event_type == "CaseAssigned")
                .order_by(BUS.outbox.c.id)
            )
        ]
        scope = case_scope(session, SECURITY.case_visibility, events[0].case_id)
    assert Counter(holders.values()) == dict.fromkeys(ids, 2), "two cases each, in rotation"
    assert [a.case_id for a in announced] == [e.case_id for e in events]
    assert [a.causation_id for a in announced] == [str(e.event_id) for e in events]
    assert all(a.payload.assigned_at == FIXED_NOW for a in announced)
    assert scope is not None and scope.collector_id == holders[events[0].case_id]


def test_a_case_imported_twice_is_assigned_once(service_runtime) -> None:
    runtime = service_runtime("assignment")
    with runtime.work() as uow:
        service.add_staff(
            uow, username="c1", name="甲", role=Role.PHONE_COLLECTOR, password="a-long-password"
        )
    event = case_imported(FIXED_NOW)
    runtime.dispatch([event])
    again = runtime.dispatch([event])
    assert again.duplicates == 1 and again.emitted == 0
    with runtime.db.reader() as session:
        bodies = list(session.execute(select(BUS.outbox.c.body)).scalars())
    assert [json.loads(b)["type"] for b in bodies] == ["CollectorUpdated", "CaseAssigned"]


def test_cases_wait_without_collectors_and_are_not_lost(service_runtime) -> None:
    runtime = service_runtime("assignment")
    events = [case_imported(FIXED_NOW) for _ in range(3)]
    assert runtime.dispatch(events).emitted == 0
    with runtime.work() as uow:
        service.add_staff(
            uow, username="c1", name="甲", role=Role.PHONE_COLLECTOR, password="a-long-password"
        )
    with runtime.db.reader() as session:
        held = session.execute(select(AssignedCase.collector_id)).scalars().all()
    assert len(held) == 3 and None not in held
