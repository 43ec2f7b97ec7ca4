"""Assignment over HTTP: teams, collectors, rules, the queue, assigning by hand and the
calendar, with real events dispatched through the service's handlers."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member
from tests.conftest import FIXED_NOW
from tests.events_kit import case_imported

CALENDAR_2027 = """date,kind,name
2027-10-01,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-09-26,workday,国庆节调休
"""


def test_a_supervisor_runs_teams_rules_the_queue_and_hands_cases_over(assignment, as_role) -> None:
    admin = as_role(Role.ADMIN)
    boss = add_member(assignment, admin, "boss", Role.SUPERVISOR, team_id="SH1")
    team = {"id": "SH1", "name": "上海一组", "supervisor_id": boss["id"]}
    assert assignment.post("/teams", json=team, headers=admin).status_code == 201
    assert assignment.post("/teams", json=team, headers=admin).status_code == 409
    nobody = assignment.post("/teams", json={"id": "SH2", "name": "二组", "lead_id": "nobody"},
                             headers=admin)  # fmt: skip
    assert (
        nobody.status_code == 404
        and nobody.json()["detail"] == "lead_id: member of staff not found"
    )
    not_a_lead = {"id": "SH2", "name": "二组", "lead_id": boss["id"]}
    refused = assignment.post("/teams", json=not_a_lead, headers=admin)
    assert refused.status_code == 409, "a supervisor is not a team lead"
    assert assignment.get("/teams", headers=admin).json()[-1]["id"] == "SH1", "nothing written"
    supervisor = as_role(Role.SUPERVISOR, boss["id"], "SH1")
    rule = {"name": "上海信用卡", "team_id": "SH1", "region": "上海", "dialect": "上海话"}
    made = assignment.post("/rules", json=rule, headers=supervisor)
    assert made.status_code == 201, made.text
    wrong_team = assignment.post("/rules", json={**rule, "team_id": "NOPE"}, headers=admin)
    assert wrong_team.status_code == 404, "a rule routing to no team names nothing"
    assert wrong_team.json()["detail"] == "team_id: team not found"

    event = case_imported(FIXED_NOW, branch="上海")
    runtime = assignment.app.state.runtime
    runtime.dispatch([event])
    queue = assignment.get("/assignments/queue", headers=supervisor).json()
    assert queue["waiting"] == 1 and queue["waiting_past_due"] == 0
    assert queue["items"][0]["reason"] == "team SH1: no active phone collector"
    assert queue["items"][0]["assign_due_by"] == "2026-11-24T02:00:00Z"

    mandarin = add_member(assignment, admin, "putong", Role.PHONE_COLLECTOR, team_id="SH1")
    assert assignment.get("/assignments/queue", headers=supervisor).json()["items"][0][
        "reason"
    ] == ("team SH1: nobody with the skills for this case")
    change = {"dialects": ["上海话"], "capacity": 40, "monthly_quota": "230000.00"}
    updated = assignment.patch(f"/staff/{mandarin['id']}", json=change, headers=supervisor)
    assert updated.status_code == 200, updated.text
    assert updated.json()["open_cases"] == 1 and updated.json()["monthly_quota"] == "230000.00"
    assigned = outbox(assignment, "CaseAssigned")
    assert [(e.case_id, e.payload.collector_id) for e in assigned] == [
        (event.case_id, mandarin["id"])
    ]

    other = add_member(assignment, admin, "other", Role.PHONE_COLLECTOR, team_id="SH1")
    moved = assignment.post(
        f"/cases/{event.case_id}/assignment",
        json={"collector_id": other["id"], "reason": "方言更熟"},
        headers=supervisor,
    )
    assert moved.status_code == 200, moved.text
    [reassigned] = outbox(assignment, "CaseReassigned")
    assert reassigned.payload.from_collector_id == mandarin["id"]
    assert reassigned.payload.due_first_action_by == datetime(2026, 11, 23, 4, tzinfo=UTC)
    history = assignment.get(f"/cases/{event.case_id}/assignments", headers=supervisor).json()
    assert [(h["how"], h["to_collector_id"], h["by_staff_id"]) for h in history] == [
        ("rule", mandarin["id"], None),
        ("hand", other["id"], boss["id"]),
    ]
    stranger = as_role(Role.SUPERVISOR, "sup-9", "T9")
    answer = assignment.post(
        f"/cases/{event.case_id}/assignment",
        json={"collector_id": mandarin["id"], "reason": "x"},
        headers=stranger,
    )
    assert answer.status_code == 404
    assert assignment.patch(f"/staff/{other['id']}", json={}, headers=stranger).status_code == 404


def test_cases_past_the_one_business_day_clock_are_flagged_and_counted(
    assignment, as_role, clock
) -> None:
    admin = as_role(Role.ADMIN)
    runtime = assignment.app.state.runtime
    runtime.dispatch([case_imported(FIXED_NOW), case_imported(FIXED_NOW)])
    clock.at = datetime(2026, 11, 24, 3, tzinfo=UTC)
    queue = assignment.get("/assignments/queue", headers=admin).json()
    assert queue["waiting"] == 2 and queue["waiting_past_due"] == 2
    assert all(item["past_due"] for item in queue["items"])
    add_member(assignment, admin, "late", Role.PHONE_COLLECTOR)
    queue = assignment.get("/assignments/queue", headers=admin).json()
    assert (queue["waiting"], queue["assigned_late"]) == (0, 2)


def test_loading_a_year_through_the_api_is_used_announced_and_shown(assignment, as_role) -> None:
    admin = as_role(Role.ADMIN)
    runtime = assignment.app.state.runtime
    entered = datetime(2027, 9, 30, 2, tzinfo=UTC)
    event = case_imported(FIXED_NOW, received_at=entered)
    runtime.dispatch([event])
    before = assignment.get("/assignments/queue", headers=admin).json()["items"][0]
    assert before["assign_due_by"] == "2027-10-04T02:00:00Z" and before["due_estimated"]
    ready = assignment.get("/ready").json()["details"]["workday_calendar"]
    assert ready["estimated_years"] == [2027]

    loaded = assignment.post(
        "/calendar/years/2027/file",
        files={"file": ("2027.csv", CALENDAR_2027.encode(), "text/csv")},
        headers=admin,
    )
    assert loaded.status_code == 201, loaded.text
    assert loaded.json() == {"year": 2027, "holidays": 5, "workdays": 1, "deadlines_recounted": 1}
    after = assignment.get("/assignments/queue", headers=admin).json()["items"][0]
    assert after["assign_due_by"] == "2027-10-08T02:00:00Z" and not after["due_estimated"]
    [announced] = outbox(assignment, "WorkdayCalendarLoaded")
    assert announced.case_id is None and announced.payload.year == 2027
    assert len(announced.payload.days) == 6
    assert assignment.get("/calendar/years", headers=admin).json()["estimated_years"] == []

    later = case_imported(FIXED_NOW, received_at=entered)
    runtime.dispatch([later])
    items = assignment.get("/assignments/queue", headers=admin).json()["items"]
    assert {i["assign_due_by"] for i in items} == {"2027-10-08T02:00:00Z"}


def test_a_bad_calendar_is_refused_and_only_admins_load_one(assignment, as_role) -> None:
    admin = as_role(Role.ADMIN)
    bad = {"days": [{"day": "2028-01-01", "kind": "holiday", "name": "元旦"}]}
    answer = assignment.post("/calendar/years/2027", json=bad, headers=admin)
    assert answer.status_code == 422 and "not in 2027" in answer.text
    good = {"days": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦"}]}
    supervisor = as_role(Role.SUPERVISOR)
    assert assignment.post("/calendar/years/2027", json=good, headers=supervisor).status_code == 403
    assert assignment.post("/calendar/years/2027", json=good, headers=admin).status_code == 201
