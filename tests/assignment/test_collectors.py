"""`CollectorUpdated` tells reporting of each collector's team, branch, status and quota,
when a collector is added and whenever one of those changes."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member, add_team


def test_collectors_are_announced_when_added_and_when_reporting_facts_change(
    assignment, as_role
) -> None:
    admin = as_role(Role.ADMIN)
    add_team(assignment, admin, "T1")
    add_member(assignment, admin, "boss1", Role.SUPERVISOR, team_id="T1")
    member = add_member(
        assignment, admin, "col-a", Role.PHONE_COLLECTOR, team_id="T1", monthly_quota="100000"
    )
    [added] = [e.payload for e in outbox(assignment, "CollectorUpdated")]
    assert (added.collector_id, added.team_id, added.monthly_quota) == (
        member["id"],
        "T1",
        100000,
    ), "supervisors are not collectors: only one announcement"

    url = f"/staff/{member['id']}"
    assert assignment.patch(url, json={"dialects": ["粤语"]}, headers=admin).status_code == 200
    assert len(outbox(assignment, "CollectorUpdated")) == 1, "skills are not reported"
    change = {"monthly_quota": "150000.00", "branch_id": "SH"}
    assert assignment.patch(url, json=change, headers=admin).status_code == 200
    assert assignment.patch(url, json={"status": "on_leave"}, headers=admin).status_code == 200
    later = [e.payload for e in outbox(assignment, "CollectorUpdated")][1:]
    assert [(u.monthly_quota, u.branch_id, u.status) for u in later] == [
        (150000, "SH", "active"),
        (150000, "SH", "on_leave"),
    ]
