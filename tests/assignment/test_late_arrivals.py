"""Cases that arrive late: every newly received case starts with a first contact due 2
hours after assignment, then the ladder step that fits how far past due it arrived — never
a step already overdue on arrival — and then the ladder as usual."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from shared.auth.principal import Role
from tests.assignment.kit import add_member, add_team, contact_attempted, import_cases, route_client
from tests.conftest import FIXED_NOW

# FIXED_NOW is 10:00 Shanghai: the first contact is due by 12:00 (04:00 UTC).
FIRST_CONTACT_DUE = "2026-11-23T04:00:00Z"
TODAY_1800, TOMORROW_1800 = "2026-11-23T10:00:00Z", "2026-11-24T10:00:00Z"


def team(client: Any, as_role: Any) -> tuple[dict[str, str], dict[str, Any]]:
    admin = as_role(Role.ADMIN)
    add_team(client, admin, "T1", branch_id="B1")
    member = add_member(client, admin, "col-a", Role.PHONE_COLLECTOR, team_id="T1")
    route_client(client, admin, "BANK-A", "T1")
    return admin, member


def strategy(client: Any, case_id: str, headers: dict[str, str]) -> tuple[str, str]:
    answer = client.get(f"/cases/{case_id}/strategy", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["next_action"], answer.json()["next_action_due"]


@pytest.mark.parametrize(
    ("days_past_due", "entry", "then"),
    [
        (0, ("visit", TODAY_1800), ("phone", TOMORROW_1800)),
        (3, ("phone", TODAY_1800), ("visit_and_guarantor", TOMORROW_1800)),
        (10, ("overdue_notice", TOMORROW_1800), ("legal", "2026-12-13T10:00:00Z")),
        (54, ("legal", TOMORROW_1800), ("legal", TOMORROW_1800)),
        (400, ("legal", TOMORROW_1800), ("legal", TOMORROW_1800)),
    ],
)
def test_first_contact_then_the_step_that_fits_then_the_ladder(
    assignment: Any, as_role: Any, days_past_due: int, entry: tuple, then: tuple
) -> None:
    admin, member = team(assignment, as_role)
    [case_id] = import_cases(assignment, {"client_id": "BANK-A", "days_past_due": days_past_due})
    assert strategy(assignment, case_id, admin) == ("first_contact", FIRST_CONTACT_DUE)

    runtime = assignment.app.state.runtime
    runtime.dispatch([contact_attempted(case_id, member["id"])])
    assert strategy(assignment, case_id, admin) == entry
    runtime.dispatch([contact_attempted(case_id, member["id"], FIXED_NOW + timedelta(hours=1))])
    assert strategy(assignment, case_id, admin) == then


def test_two_attempts_in_one_batch_work_the_first_contact_and_the_entry_step(
    assignment: Any, as_role: Any
) -> None:
    admin, member = team(assignment, as_role)
    [case_id] = import_cases(assignment, {"client_id": "BANK-A", "days_past_due": 10})
    later = FIXED_NOW + timedelta(hours=1)
    assignment.app.state.runtime.dispatch(
        [contact_attempted(case_id, member["id"]), contact_attempted(case_id, member["id"], later)]
    )
    assert strategy(assignment, case_id, admin) == ("legal", "2026-12-13T10:00:00Z")


def test_a_case_that_waited_gets_its_first_contact_2_hours_after_it_is_assigned(
    assignment: Any, as_role: Any, clock: Any
) -> None:
    admin = as_role(Role.ADMIN)
    add_team(assignment, admin, "T1", branch_id="B1")
    route_client(assignment, admin, "BANK-A", "T1")
    [case_id] = import_cases(assignment, {"client_id": "BANK-A", "days_past_due": 54})
    queue = assignment.get("/assignments/queue", headers=admin).json()
    assert case_id in str(queue), "nobody in the team yet: it waits"

    clock.at = FIXED_NOW + timedelta(hours=3)
    add_member(assignment, admin, "col-a", Role.PHONE_COLLECTOR, team_id="T1")
    assert strategy(assignment, case_id, admin) == ("first_contact", "2026-11-23T07:00:00Z")
