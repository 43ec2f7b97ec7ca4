"""Closure from real events on a real database (dispatch, no broker): paid in full, a new
balance from the client, recall, an approved write-off; the blacklist it feeds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.assignment.blacklist.models import BlacklistEntry
from services.assignment.closing.service import close_case
from services.assignment.models import BUS, AssignedCase, Staff
from services.assignment.placing import store
from services.assignment.placing.by_hand import assign_by_hand
from services.assignment.staff import service
from shared.auth.principal import Principal, Role
from shared.errors import Conflict, NotFound
from shared.events import decode
from shared.runtime import Runtime
from tests.conftest import FIXED_NOW
from tests.events_kit import balance_changed, case_imported, case_recalled, payment_received

ID_NUMBER = "11010119900307123X"
LATER = FIXED_NOW + timedelta(days=3)


def _collector(runtime: Runtime, name: str = "c1") -> str:
    with runtime.work() as uow:
        member = service.add_staff(
            uow, username=name, name="甲", role=Role.PHONE_COLLECTOR, password="a-long-password"
        )
        return member.id


def _closed(runtime: Runtime) -> list[Any]:
    with runtime.db.reader() as session:
        rows = session.execute(
            select(BUS.outbox.c.body)
            .where(BUS.outbox.c.event_type == "CaseClosed")
            .order_by(BUS.outbox.c.id)
        ).scalars()
        return [decode(body) for body in rows]


def _open_cases(runtime: Runtime, collector_id: str) -> int:
    with runtime.db.reader() as session:
        member = session.get(Staff, collector_id)
        assert member is not None
        return member.open_cases


def _blacklist(runtime: Runtime) -> list[BlacklistEntry]:
    with runtime.db.reader() as session:
        return list(session.execute(select(BlacklistEntry)).scalars())


@pytest.fixture
def runtime(service_runtime) -> Runtime:
    return service_runtime("assignment")


def test_a_case_closes_once_paid_in_full_and_frees_its_collector(runtime: Runtime) -> None:
    collector = _collector(runtime)
    imported = case_imported(FIXED_NOW, total="1200.50", id_number=ID_NUMBER, days_past_due=30)
    case_id = imported.case_id
    runtime.dispatch([imported])
    assert _open_cases(runtime, collector) == 1

    runtime.dispatch([payment_received(case_id, "1000.00", LATER)])
    assert _closed(runtime) == [], "a part payment leaves the case open"
    runtime.dispatch(
        [payment_received(case_id, "200.49", LATER), payment_received(case_id, "0.01", LATER)]
    )
    [closed] = _closed(runtime)
    assert closed.case_id == case_id and closed.payload.client_id == "BANK-A"
    assert (closed.payload.outcome, closed.payload.reason) == ("paid", "paid in full")
    assert closed.payload.closed_at == FIXED_NOW
    assert _open_cases(runtime, collector) == 0
    with runtime.db.reader() as session:
        case = session.get(AssignedCase, case_id)
        assert case is not None and case.close_outcome == "paid" and case.collector_id == collector

    runtime.dispatch([payment_received(case_id, "5.00", LATER)])
    assert len(_closed(runtime)) == 1, "closed once"
    assert _blacklist(runtime) == [], "30 days past due is not long overdue"


def test_a_new_balance_from_the_client_restarts_the_tally(runtime: Runtime) -> None:
    _collector(runtime)
    imported = case_imported(FIXED_NOW, total="1200.50")
    runtime.dispatch([imported, payment_received(imported.case_id, "500.00", LATER)])
    runtime.dispatch([balance_changed(LATER, imported.case_id, "700.50")])
    runtime.dispatch([payment_received(imported.case_id, "700.00", LATER)])
    assert _closed(runtime) == [], "the 500 paid before is taken as included in the new figure"
    runtime.dispatch([payment_received(imported.case_id, "0.50", LATER)])
    assert [c.payload.outcome for c in _closed(runtime)] == ["paid"]

    other = case_imported(FIXED_NOW, total="80.00")
    runtime.dispatch([other, balance_changed(LATER, other.case_id, "0.00")])
    assert [c.case_id for c in _closed(runtime)][-1] == other.case_id


def test_a_recalled_case_closes_with_the_clients_reason(runtime: Runtime) -> None:
    collector = _collector(runtime)
    imported = case_imported(FIXED_NOW, id_number=ID_NUMBER, days_past_due=200)
    runtime.dispatch([imported])
    runtime.dispatch([case_recalled(LATER, imported.case_id, reason="debtor deceased")])
    [closed] = _closed(runtime)
    assert (closed.payload.outcome, closed.payload.reason) == ("recalled", "debtor deceased")
    assert _open_cases(runtime, collector) == 0
    assert _blacklist(runtime) == [], "a recall is not a settlement"

    with runtime.work() as uow, pytest.raises(Conflict, match="closed"):
        admin = Principal(subject="admin-1", kind="staff", role=Role.ADMIN)
        assign_by_hand(uow, admin, imported.case_id, collector, "try again")


def test_a_closed_case_leaves_the_queue(runtime: Runtime) -> None:
    waiting = case_imported(FIXED_NOW)
    runtime.dispatch([waiting])
    with runtime.db.reader() as session:
        assert [r.id for r in store.waiting_cases(session, None, 10, 0)] == [waiting.case_id]
    runtime.dispatch([case_recalled(LATER, waiting.case_id)])
    assert _closed(runtime)[0].payload.reason == "recalled by the client"
    _collector(runtime)  # a new collector takes the waiting cases: not the closed one
    with runtime.db.reader() as session:
        assert store.waiting_cases(session, None, 10, 0) == []
        assert store.clock_counts(session, None, LATER)["waiting"] == 0
        case = session.get(AssignedCase, waiting.case_id)
        assert case is not None and case.collector_id is None


def test_a_settled_long_overdue_debtor_goes_on_the_blacklist_without_the_number(
    runtime: Runtime,
) -> None:
    _collector(runtime)
    imported = case_imported(FIXED_NOW, total="300.00", id_number=ID_NUMBER, days_past_due=120)
    runtime.dispatch([imported, payment_received(imported.case_id, "300.00", LATER)])
    [entry] = _blacklist(runtime)
    assert (entry.case_id, entry.client_id, entry.outcome) == (imported.case_id, "BANK-A", "paid")
    assert entry.days_overdue == 120
    assert ID_NUMBER not in entry.debtor_key and ID_NUMBER.lower() not in entry.debtor_key


def test_an_approved_write_off_closes_through_close_case(runtime: Runtime) -> None:
    collector = _collector(runtime)
    imported = case_imported(FIXED_NOW)
    runtime.dispatch([imported])
    with runtime.work() as uow:
        assert close_case(uow, imported.case_id, "written_off", "approval A-7: uncollectable")
    with runtime.work() as uow:
        assert not close_case(uow, imported.case_id, "written_off", "again")
        with pytest.raises(NotFound):
            close_case(uow, "no-such-case", "written_off", "x")
    [closed] = _closed(runtime)
    assert closed.payload.outcome == "written_off"
    assert closed.payload.reason == "approval A-7: uncollectable"
    assert _open_cases(runtime, collector) == 0
