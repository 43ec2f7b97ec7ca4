"""Automatic placement from real CaseImported events: rules, capacity, the queue, the
1-business-day clock and the history."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from services.assignment.models import AssignedCase, AssignmentRecord, AssignmentRule, Staff, Team
from services.assignment.staff import service
from shared.auth.principal import Role
from shared.clock import as_utc
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported


def collector(uow, username: str, team: str, **profile) -> str:
    return service.add_staff(
        uow, username=username, name=username, role=Role.PHONE_COLLECTOR,
        password="a-long-password", team_id=team, **profile,
    ).id  # fmt: skip


def setup_teams(runtime) -> dict[str, str]:
    with runtime.work() as uow:
        for team in ("CARDS", "BIG"):
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
            ]
        )  # fmt: skip
        uow.session.flush()
        return {
            "card": collector(uow, "card1", "CARDS", capacity=5),
            "card_m1": collector(uow, "card2", "CARDS", capacity=9, buckets=["M1"]),
        }


def cases(runtime) -> dict[str, AssignedCase]:
    with runtime.db.reader() as session:
        return {c.id: c for c in session.execute(select(AssignedCase)).scalars()}


def test_rules_route_cases_and_the_most_spare_capacity_wins(service_runtime) -> None:
    runtime = service_runtime("assignment")
    ids = setup_teams(runtime)
    # The bank's own label says M3 for both; the rules see the bucket the days give.
    m1 = case_imported(FIXED_NOW, product_type="credit_card", days_past_due=30, bank_bucket="M3")
    m3 = case_imported(FIXED_NOW, product_type="credit_card", days_past_due=61, bank_bucket="M1")
    big = case_imported(FIXED_NOW, total="80000.00", product_type="credit_card")
    outcome = runtime.dispatch([m1, m3, big])
    assert outcome.emitted == 2
    held = cases(runtime)
    assert held[m1.case_id].collector_id == ids["card_m1"], "9 spare beats 5"
    assert held[m3.case_id].collector_id == ids["card"], "only card1 takes M3"
    waiting = held[big.case_id]
    assert waiting.collector_id is None and waiting.team_id == "BIG"
    assert waiting.waiting_reason == "team BIG: no active phone collector"
    with runtime.db.reader() as session:
        loads = {s.id: s.open_cases for s in session.execute(select(Staff)).scalars()}
        history = session.execute(select(AssignmentRecord)).scalars().all()
    assert loads[ids["card"]] == 1 and loads[ids["card_m1"]] == 1
    assert {(h.case_id, h.how, h.rule_id) for h in history} == {
        (m1.case_id, "rule", "r-cards"),
        (m3.case_id, "rule", "r-cards"),
    }


def test_a_waiting_case_is_placed_when_a_fitting_collector_joins(service_runtime) -> None:
    runtime = service_runtime("assignment")
    setup_teams(runtime)
    big = case_imported(FIXED_NOW, total="80000.00")
    runtime.dispatch([big])
    with runtime.work() as uow:
        newcomer = collector(uow, "big1", "BIG")
    assert cases(runtime)[big.case_id].collector_id == newcomer


def test_a_full_team_queues_the_case_until_capacity_frees(service_runtime) -> None:
    runtime = service_runtime("assignment")
    with runtime.work() as uow:
        only = collector(uow, "solo", "T1", capacity=1)
    first, second = case_imported(FIXED_NOW), case_imported(FIXED_NOW)
    assert runtime.dispatch([first, second]).emitted == 1
    queued = cases(runtime)[second.case_id]
    assert queued.waiting_reason == "any team: every skilled collector is at capacity"
    assert cases(runtime)[first.case_id].collector_id == only


def test_the_one_business_day_clock_runs_from_entry(service_runtime) -> None:
    runtime = service_runtime("assignment")
    friday_before_holiday = datetime(2026, 9, 30, 6, tzinfo=UTC)
    new_years_eve = datetime(2026, 12, 31, 6, tzinfo=UTC)
    national = case_imported(FIXED_NOW, received_at=friday_before_holiday)
    new_year = case_imported(FIXED_NOW, received_at=new_years_eve)
    runtime.dispatch([national, new_year])
    held = cases(runtime)
    national_case = held[national.case_id]
    assert as_utc(national_case.assign_due_by) == datetime(2026, 10, 8, 6, tzinfo=UTC)
    assert not national_case.due_estimated
    assert as_utc(held[new_year.case_id].assign_due_by) == datetime(2027, 1, 4, 6, tzinfo=UTC)
    assert held[new_year.case_id].due_estimated
