"""Submitted reports are frozen snapshots; reviews approve or return them."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.reporting.conftest import C1, C3, HQ, MANAGER_B1, SUPERVISOR_T1, Desk, staff
from tests.reporting.scenario import cst


def _post(desk: Desk, path: str, body: dict, who) -> dict:
    answer = desk.client.post(path, json=body, headers=desk.keys.headers(who))
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_a_submitted_report_does_not_change_when_later_events_arrive(desk: Desk) -> None:
    sub = _post(
        desk,
        "/reports/submissions",
        {"report": "collector_monthly", "on": "2026-10-05", "remarks": "十月"},
        C1,
    )
    assert sub["snapshot"]["summary"]["recovered"] == "650.50"
    desk.scenario.pay("A", "99.00", cst("10-30"))  # arrives after the submission
    desk.runtime.dispatch(desk.scenario.events[-1:])
    live = desk.json("/reports/collectors/monthly", C1, on="2026-10-05")
    assert live["summary"]["recovered"] == "749.50"
    again = desk.json(f"/reports/submissions/{sub['submission_id']}", C1)
    assert again["snapshot"] == sub["snapshot"] and again["body_sha256"] == sub["body_sha256"]
    assert (
        desk.get(
            f"/reports/submissions/{sub['submission_id']}",
            staff("c-3", Role.PHONE_COLLECTOR, "T2", "B1"),
        ).status_code
        == 404
    )


def test_the_supervisor_approves_or_returns_a_collector_report(desk: Desk) -> None:
    sub = _post(
        desk, "/reports/submissions", {"report": "collector_weekly", "on": "2026-10-05"}, C1
    )
    path = f"/reports/submissions/{sub['submission_id']}"
    assert (
        desk.client.post(f"{path}/approve", json={}, headers=desk.keys.headers(C1)).status_code
        == 403
    )
    returned = _post(desk, f"{path}/return", {"note": "补充外访记录"}, SUPERVISOR_T1)
    assert returned["status"] == "returned"
    second = _post(
        desk, "/reports/submissions", {"report": "collector_weekly", "on": "2026-10-05"}, C1
    )
    assert second["version"] == 2
    approved = _post(
        desk, f"/reports/submissions/{second['submission_id']}/approve", {}, SUPERVISOR_T1
    )
    assert approved["status"] == "approved"
    events = [e for e in _outbox(desk)]
    assert events == ["ReportSubmitted", "ReportReturned", "ReportSubmitted", "ReportApproved"]


def test_a_branch_report_needs_hq_and_the_branch_manager(desk: Desk) -> None:
    sub = _post(
        desk,
        "/reports/submissions",
        {"report": "branch_monthly", "on": "2026-10-05"},
        SUPERVISOR_T1,
    )
    path = f"/reports/submissions/{sub['submission_id']}/approve"
    assert _post(desk, path, {}, HQ)["status"] == "submitted"
    done = _post(desk, path, {}, MANAGER_B1)
    assert done["status"] == "approved"
    assert {r["reviewer_role"] for r in done["reviews"]} == {"hq", "branch_manager"}


def _outbox(desk: Desk) -> list[str]:
    from sqlalchemy import select

    outbox = desk.runtime.parts.tables.outbox
    with desk.runtime.db.reader() as session:
        return list(session.execute(select(outbox.c.event_type).order_by(outbox.c.id)).scalars())


C9_NO_TEAM = staff("c-9", Role.PHONE_COLLECTOR)
SUPERVISOR_NO_TEAM = staff("s-9", Role.SUPERVISOR)


def _listed(desk: Desk, who, limit: int = 2, **params) -> list[str]:
    """Every page of the list, walked by its cursor."""
    ids: list[str] = []
    after = None
    while True:
        query = {"limit": limit, **params, **({"after": after} if after else {})}
        page = desk.json("/reports/submissions", who, **query)
        assert len(page["items"]) <= limit
        ids += [item["submission_id"] for item in page["items"]]
        after = page["next_cursor"]
        if after is None:
            return ids


def test_each_person_lists_exactly_the_submissions_they_may_open(desk: Desk) -> None:
    made: dict[str, str] = {}
    for day in ("2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05"):
        made[f"c1 {day}"] = _post(
            desk, "/reports/submissions", {"report": "collector_weekly", "on": day}, C1
        )["submission_id"]
    for who, report in (
        (C3, "collector_weekly"),
        (C9_NO_TEAM, "collector_weekly"),
        (SUPERVISOR_T1, "branch_monthly"),
    ):
        made[f"{who.subject} {report}"] = _post(
            desk, "/reports/submissions", {"report": report, "on": "2026-10-05"}, who
        )["submission_id"]
    people = (C1, C3, C9_NO_TEAM, SUPERVISOR_T1, SUPERVISOR_NO_TEAM, MANAGER_B1, HQ)
    for who in people:
        listed = _listed(desk, who)
        assert len(listed) == len(set(listed)), "a page repeated a row"
        may_open = {
            sid
            for sid in made.values()
            if desk.get(f"/reports/submissions/{sid}", who).status_code == 200
        }
        assert set(listed) == may_open, who.subject
    assert len(_listed(desk, SUPERVISOR_T1)) == 6  # C1's five and their own branch report
    assert _listed(desk, SUPERVISOR_NO_TEAM) == []  # no team: nobody's reports but their own
    assert _listed(desk, MANAGER_B1) == [made["s-1 branch_monthly"]]

    _post(
        desk, f"/reports/submissions/{made['c1 2026-09-07']}/return", {"note": "补"}, SUPERVISOR_T1
    )
    waiting = _listed(desk, SUPERVISOR_T1, status="submitted")
    assert made["c1 2026-09-07"] not in waiting and len(waiting) == 5
    assert _listed(desk, SUPERVISOR_T1, status="returned") == [made["c1 2026-09-07"]]
    first = desk.json("/reports/submissions", SUPERVISOR_T1, limit=1)["items"][0]
    assert "snapshot" not in first and first["status"] in ("submitted", "returned")


def test_a_teamless_supervisor_may_not_review_a_teamless_collectors_report(desk: Desk) -> None:
    sub = _post(
        desk, "/reports/submissions", {"report": "collector_weekly", "on": "2026-10-05"}, C9_NO_TEAM
    )
    path = f"/reports/submissions/{sub['submission_id']}"
    assert desk.get(path, SUPERVISOR_NO_TEAM).status_code == 404
    answer = desk.client.post(
        f"{path}/approve", json={}, headers=desk.keys.headers(SUPERVISOR_NO_TEAM)
    )
    assert answer.status_code == 404
