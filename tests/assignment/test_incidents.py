"""Incidents over HTTP: a field emergency raised from the visit alerts the supervisor at
once and stays open with every contact logged; other kinds name the clients they touch;
a restore from backup is HQ's; each step is an event; others' incidents answer 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.auth.principal import Role
from tests.assignment.conftest import outbox
from tests.assignment.test_field_visits import order, setup
from tests.conftest import FIXED_NOW


def test_a_field_emergency_alerts_the_supervisor_and_stays_open_until_resolved(
    assignment: Any, as_role: Any, clock: Any
) -> None:
    s = setup(assignment, as_role)
    visit, _ = order(assignment, s)
    url = f"/field-visits/{visit['id']}/emergency"
    body = {"what": "债务人家属情绪激动，外访人员已撤离", "occurred_at": "2026-11-23T01:50:00Z"}
    assert assignment.post(url, json=body, headers=s["g"]).status_code == 404, "not g's visit"
    raised = assignment.post(url, json=body, headers=s["f"])
    assert raised.status_code == 201, raised.text
    incident = raised.json()
    assert (incident["kind"], incident["status"], incident["case_id"]) == (
        "field_emergency",
        "open",
        visit["case_id"],
    )
    assert incident["supervisor_id"] == s["boss_id"]
    assert incident["supervisor_told_at"] == "2026-11-23T02:00:00Z", "at once, when raised"
    assert incident["client_ids"] == ["BANK-A"]
    [told] = incident["log"]
    assert (told["entry"], told["whom"]) == ("told", s["boss_id"])

    alerts = assignment.get("/incidents/alerts", headers=s["boss"]).json()
    assert [a["id"] for a in alerts] == [incident["id"]]
    assert assignment.get("/incidents/alerts", headers=s["other_boss"]).json() == []
    assert (
        assignment.get(f"/incidents/{incident['id']}", headers=s["other_boss"]).status_code == 404
    )
    [reported] = outbox(assignment, "IncidentReported")
    assert reported.case_id == visit["case_id"]
    assert reported.payload.supervisor_id == s["boss_id"]

    clock.at = FIXED_NOW + timedelta(minutes=20)
    log = f"/incidents/{incident['id']}/log"
    call = {"entry": "contact", "note": "主管与外访人员通话，确认人员安全"}
    assert assignment.post(log, json=call, headers=s["boss"]).status_code == 201
    assert (
        assignment.post(log, json={**call, "note": "已回到车上"}, headers=s["f"]).status_code == 201
    )
    resolve = {"resolution": "人员安全返回", "outcome": "visit abandoned; case back to phone"}
    assert (
        assignment.post(
            f"/incidents/{incident['id']}/resolve", json=resolve, headers=s["f"]
        ).status_code
        == 403
    )
    done = assignment.post(f"/incidents/{incident['id']}/resolve", json=resolve, headers=s["boss"])
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "resolved" and len(done.json()["log"]) == 3
    assert assignment.get("/incidents/alerts", headers=s["boss"]).json() == []
    assert assignment.post(log, json=call, headers=s["boss"]).status_code == 409
    assert len(outbox(assignment, "IncidentLogged")) == 2
    assert len(outbox(assignment, "IncidentResolved")) == 1


def test_an_outage_names_the_clients_it_touches_and_a_restore_is_hqs(
    assignment: Any, as_role: Any
) -> None:
    admin, hq = as_role(Role.ADMIN), as_role(Role.HQ, "hq-1")
    body = {"kind": "outage", "what": "数据库服务器宕机", "client_ids": ["BANK-A", "BANK-A"],
            "occurred_at": "2026-11-23T00:00:00Z"}  # fmt: skip
    raised = assignment.post("/incidents", json=body, headers=admin)
    assert raised.status_code == 201, raised.text
    incident = raised.json()
    assert incident["client_ids"] == ["BANK-A"] and incident["supervisor_id"] is None
    log = f"/incidents/{incident['id']}/log"
    restore = {"entry": "action", "note": "从备份恢复", "restore_from_backup": True}
    refused = assignment.post(log, json=restore, headers=admin)
    assert refused.status_code == 403 and "HQ" in refused.json()["detail"]
    assert assignment.post(log, json=restore, headers=hq).status_code == 201
    told = {"entry": "told", "note": "总部专家已诊断"}
    assert assignment.post(log, json=told, headers=admin).status_code == 422, "whom is needed"
    early = {"entry": "action", "note": "x", "at": "2026-11-22T00:00:00Z"}
    before = assignment.post(log, json=early, headers=admin)
    assert before.status_code == 409, "before the incident happened: the incident on file says"
    later = {"entry": "action", "note": "x", "at": "2099-01-01T00:00:00Z"}
    assert assignment.post(log, json=later, headers=admin).status_code == 422, "not yet"

    no_client = {"kind": "force_majeure", "what": "台风停工"}
    answer = assignment.post("/incidents", json=no_client, headers=admin)
    assert answer.status_code == 422 and "client_ids" in answer.json()["detail"]
    future = {**body, "occurred_at": "2026-11-24T00:00:00Z"}
    assert assignment.post("/incidents", json=future, headers=admin).status_code == 422
    unknown_case = {**body, "case_id": "NO-SUCH-CASE"}
    answer = assignment.post("/incidents", json=unknown_case, headers=admin)
    assert answer.status_code == 404 and answer.json()["detail"] == "case not found"
    collector = as_role(Role.PHONE_COLLECTOR, "p-1")
    assert assignment.post("/incidents", json=body, headers=collector).status_code == 403
    assert assignment.get("/incidents", headers=collector).json() == []
    listed = assignment.get("/incidents?status=open", headers=hq).json()
    assert [i["id"] for i in listed] == [incident["id"]]
