"""A consumer batch of new cases is placed set-based: the same cases handled one event at a
time must end with the same holders, queue reasons, deadlines, history, collector loads
and announcements, in the same order."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from services.assignment.models import (
    BUS,
    SECURITY,
    AssignedCase,
    AssignmentRecord,
    AssignmentRule,
    Staff,
    Team,
)
from shared.auth.principal import Role
from shared.clock import as_utc
from shared.events import decode, new_event
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported

COLLECTORS = (
    # id, team, capacity, open cases, skills
    ("c-cards-1", "CARDS", 3, 0, {}),
    ("c-cards-2", "CARDS", 5, 2, {"buckets": ["M1"]}),
    ("c-cards-3", "CARDS", 4, 1, {"regions": ["SH"]}),
    ("c-big-1", "BIG", 2, 0, {}),
    ("c-loans-1", "LOANS", 1, 1, {}),  # full: loans wait
)


def _staff_and_rules(runtime: Any) -> None:
    with runtime.work() as uow:
        for team in ("CARDS", "BIG", "LOANS"):
            uow.session.add(Team(id=team, name=team, created_at=uow.now))
        uow.session.add_all(
            [
                AssignmentRule(
                    id="r-big", position=10, name="大额", team_id="BIG",
                    min_amount=Decimal("50000"), updated_at=uow.now,
                ),
                AssignmentRule(
                    id="r-cards", position=20, name="信用卡", team_id="CARDS",
                    product_type="credit_card", updated_at=uow.now,
                ),
                AssignmentRule(
                    id="r-loans", position=30, name="贷款", team_id="LOANS",
                    product_type="loan", updated_at=uow.now,
                ),
            ]
        )  # fmt: skip
        for member_id, team, capacity, open_cases, skills in COLLECTORS:
            uow.session.add(
                Staff(
                    id=member_id, username=member_id, name=member_id,
                    role=Role.PHONE_COLLECTOR.value, team_id=team, branch_id="SH",
                    password_hash="-", created_at=uow.now, capacity=capacity,
                    open_cases=open_cases, **skills,
                )
            )  # fmt: skip


def _events() -> tuple[list[Any], list[Any]]:
    """Cases known before the batch (one held, one waiting), then the batch: cards of
    several buckets and regions (more than the team can take), big amounts, loans nobody
    can take, a product no rule names, the known cases again and one case twice."""
    held = case_imported(FIXED_NOW, product_type="credit_card", days_past_due=10)
    waiting = case_imported(FIXED_NOW, product_type="loan", days_past_due=5)
    before = [held, waiting]
    batch = [
        case_imported(FIXED_NOW, product_type="credit_card", days_past_due=d, branch=region)
        for d, region in ((3, "SH"), (35, "BJ"), (40, None), (65, "SH"), (1, "GZ"), (20, "SH"))
    ]
    batch += [case_imported(FIXED_NOW, total="90000.00", product_type="credit_card")]
    batch += [case_imported(FIXED_NOW, total="70000.00", days_past_due=95)]
    batch += [case_imported(FIXED_NOW, product_type="loan", days_past_due=8)]
    batch += [case_imported(FIXED_NOW, product_type="mortgage", days_past_due=2)]
    twice = case_imported(FIXED_NOW, product_type="credit_card", days_past_due=12)
    again = new_event(twice.payload, occurred_at=FIXED_NOW, case_id=twice.case_id)
    batch += [twice, again]
    for known in before:
        batch.append(new_event(known.payload, occurred_at=FIXED_NOW, case_id=known.case_id))
    batch += [
        case_imported(FIXED_NOW, product_type="credit_card", days_past_due=d)
        for d in (15, 31, 45, 2, 7)
    ]
    return before, batch


def _state(runtime: Any) -> dict[str, Any]:
    with runtime.db.reader() as session:
        cases = [
            c.model_dump()
            for c in session.execute(select(AssignedCase).order_by(AssignedCase.id)).scalars()
        ]
        history = [
            (r.case_id, r.from_collector_id, r.to_collector_id, r.team_id, r.how, r.rule_id,
             r.reason)
            for r in session.execute(select(AssignmentRecord)).scalars()
        ]  # fmt: skip
        loads = sorted(
            (s.id, s.open_cases, s.last_pick)
            for s in session.execute(select(Staff)).scalars()
            if s.role == Role.PHONE_COLLECTOR.value
        )
        seen = sorted(tuple(r) for r in session.execute(select(SECURITY.case_visibility)))
        announced = [
            decode(body)
            for body in session.execute(
                select(BUS.outbox.c.body)
                .where(BUS.outbox.c.event_type == "CaseAssigned")
                .order_by(BUS.outbox.c.id)
            ).scalars()
        ]
    return {
        "cases": cases,
        "history": sorted(history, key=lambda h: h[0]),
        "history_order": [h[2] for h in history],
        "loads": loads,
        "visibility": seen,
        "announced": [(e.case_id, e.payload.model_dump()) for e in announced],
    }


def test_a_batch_placed_at_once_ends_as_one_event_at_a_time(service_runtime) -> None:
    before, batch = _events()
    at_once, one_by_one = service_runtime("assignment"), service_runtime("assignment")
    for runtime in (at_once, one_by_one):
        _staff_and_rules(runtime)
        runtime.dispatch(before)
    at_once.dispatch(batch)
    for event in batch:
        one_by_one.dispatch([event])

    placed, alone = _state(at_once), _state(one_by_one)
    assert placed["announced"], "the batch placed nothing: the test proves nothing"
    assert any(c["waiting_reason"] for c in placed["cases"]), "nothing waited"
    assert placed == alone
    due = FIXED_NOW + timedelta(hours=2)
    for case in placed["cases"]:
        if case["collector_id"] is None:
            assert case["waiting_reason"] and case["assigned_at"] is None
        else:
            assert case["waiting_reason"] is None
            assert as_utc(case["assigned_at"]) == FIXED_NOW
            assert as_utc(case["first_contact_due"]) == due
            assert as_utc(case["next_action_due"]) == due
