"""Who may see which case: the visibility rules, table-driven."""

from __future__ import annotations

import pytest

from shared.auth.policy import (
    CaseScope,
    can_act_for_client,
    can_see_case,
    reach,
    sees_full_id_number,
    sees_full_phone,
    within_reach,
)
from shared.auth.principal import Principal, Role, Scope

CASE = CaseScope(
    case_id="k1", client_id="BANK-A", collector_id="c-1", team_id="t-1", branch_id="b-1"
)


def staff(
    role: Role, subject: str = "someone", team: str | None = None, branch: str | None = None
) -> Principal:
    return Principal(subject=subject, kind="staff", role=role, team_id=team, branch_id=branch)


def bank(client_id: str | None) -> Principal:
    return Principal(subject="apikey:1", kind="bank", client_id=client_id)


@pytest.mark.parametrize(
    ("principal", "sees"),
    [
        (staff(Role.PHONE_COLLECTOR, "c-1"), True),
        (staff(Role.PHONE_COLLECTOR, "c-2", team="t-1", branch="b-1"), False),
        (staff(Role.FIELD_COLLECTOR, "c-1"), True),
        (staff(Role.FIELD_COLLECTOR, "c-9"), False),
        (staff(Role.TEAM_LEAD, team="t-1"), True),
        (staff(Role.TEAM_LEAD, team="t-2", branch="b-1"), False),
        (staff(Role.SUPERVISOR, team="t-1"), True),
        (staff(Role.SUPERVISOR, team=None), False),
        (staff(Role.BRANCH_MANAGER, branch="b-1"), True),
        (staff(Role.BRANCH_MANAGER, branch="b-2", team="t-1"), False),
        (staff(Role.ADMIN), True),
        (staff(Role.HQ), True),
        (bank("BANK-A"), True),
        (bank("BANK-B"), False),
        (bank(None), False),
    ],
)
def test_case_visibility(principal: Principal, sees: bool) -> None:
    assert can_see_case(principal, CASE) is sees


def test_an_unassigned_case_is_seen_by_no_collector() -> None:
    unassigned = CaseScope(case_id="k2", client_id="BANK-A")
    assert not can_see_case(staff(Role.PHONE_COLLECTOR, subject=""), unassigned)
    assert not can_see_case(staff(Role.TEAM_LEAD, team=None), unassigned)
    assert can_see_case(staff(Role.ADMIN), unassigned)


def test_a_case_without_a_known_client_is_seen_by_no_bank() -> None:
    orphan = CaseScope(case_id="k3", client_id=None)
    assert not can_see_case(bank(None), orphan)


@pytest.mark.parametrize(
    ("principal", "allowed"),
    [
        (bank("BANK-A"), True),
        (bank("BANK-B"), False),
        (staff(Role.ADMIN), True),
        (staff(Role.HQ), True),
        (staff(Role.SUPERVISOR, team="t-1"), False),
        (staff(Role.PHONE_COLLECTOR, "c-1"), False),
    ],
)
def test_client_level_resources(principal: Principal, allowed: bool) -> None:
    assert can_act_for_client(principal, "BANK-A") is allowed


def test_collectors_see_phones_but_not_id_numbers() -> None:
    collector = staff(Role.PHONE_COLLECTOR, "c-1")
    assert sees_full_phone(collector)
    assert not sees_full_id_number(collector)
    assert not sees_full_phone(staff(Role.BRANCH_MANAGER, branch="b-1"))
    assert sees_full_id_number(staff(Role.ADMIN)) and sees_full_id_number(bank("BANK-A"))


@pytest.mark.parametrize(
    ("principal", "declared", "reaches"),
    [
        (staff(Role.PHONE_COLLECTOR), None, Scope.OWN),
        (staff(Role.PHONE_COLLECTOR), Scope.TEAM, Scope.OWN),
        (staff(Role.PHONE_COLLECTOR), Scope.ALL, Scope.ALL),
        (staff(Role.SUPERVISOR), None, Scope.TEAM),
        (staff(Role.SUPERVISOR), Scope.BRANCH, Scope.TEAM),
        (staff(Role.SUPERVISOR), Scope.OWN, Scope.OWN),
        (staff(Role.SUPERVISOR), Scope.ALL, Scope.ALL),
        (staff(Role.BRANCH_MANAGER), Scope.TEAM, Scope.TEAM),
        (staff(Role.ADMIN), Scope.OWN, Scope.ALL),
        (staff(Role.HQ), Scope.TEAM, Scope.ALL),
        (bank("BANK-A"), Scope.ALL, Scope.OWN),
    ],
)
def test_a_write_reaches_the_narrower_of_the_role_and_its_scope(
    principal: Principal, declared: Scope | None, reaches: Scope
) -> None:
    assert reach(principal, declared) is reaches


@pytest.mark.parametrize(
    ("principal", "scope", "within"),
    [
        (staff(Role.SUPERVISOR, team="t-1"), Scope.TEAM, True),
        (staff(Role.SUPERVISOR, "c-1", team="t-1"), Scope.OWN, True),
        (staff(Role.SUPERVISOR, team="t-1"), Scope.OWN, False),
        (staff(Role.SUPERVISOR, team="t-2", branch="b-1"), Scope.TEAM, False),
        (staff(Role.BRANCH_MANAGER, branch="b-1"), Scope.TEAM, False),
        (staff(Role.BRANCH_MANAGER, branch="b-1"), Scope.BRANCH, True),
        (staff(Role.TEAM_LEAD, team="t-9"), Scope.ALL, True),
        (bank("BANK-B"), Scope.ALL, False),
    ],
)
def test_a_case_is_within_reach_only_as_far_as_the_scope_goes(
    principal: Principal, scope: Scope, within: bool
) -> None:
    assert within_reach(principal, scope, CASE) is within
