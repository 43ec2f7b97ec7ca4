"""Placement where the agreement requires an approval for outsourcing: the case waits, the
placer cannot grant it (four eyes), a grant moves it to the agency with its term counted
from then, a rejection leaves it where it was; each step is an event."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from services.assignment.agencies.domain import Terms, needs_approval
from shared.auth.principal import Role
from shared.events import new_event
from shared.events.catalog import AgreementSaved
from tests.assignment.conftest import outbox
from tests.assignment.kit import add_member, import_cases
from tests.assignment.test_agencies import queue, setup
from tests.conftest import FIXED_NOW


def agreement_saved(agreement_id: str, needs: bool, at: Any = FIXED_NOW, **extra: Any) -> Any:
    payload = AgreementSaved(
        agreement_id=agreement_id, client_id="BANK-A", number=agreement_id, status="active",
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), commission_rate=Decimal("0.12"),
        reconciliation_day=25, outsourcing_needs_approval=needs, saved_at=at, **extra,
    )  # fmt: skip
    return new_event(payload, occurred_at=at, case_id=None)


def test_the_case_s_own_agreement_decides_else_any_active_one_of_its_client() -> None:
    strict, lax = Terms("A-1", "active", True), Terms("A-2", "active", False)
    ended = Terms("A-3", "ended", True)
    assert needs_approval("A-1", [strict, lax]) is True
    assert needs_approval("A-2", [strict, lax]) is False
    assert needs_approval("A-9", [strict, lax]) is False, "an agreement not heard of"
    assert needs_approval(None, [lax, strict]) is True
    assert needs_approval(None, [lax, ended]) is False
    assert needs_approval(None, []) is False


def test_a_placement_under_such_an_agreement_waits_for_someone_else_s_grant(
    assignment: Any, as_role: Any, clock: Any
) -> None:
    s = setup(assignment, as_role)
    runtime = assignment.app.state.runtime
    # The later saved terms win, whatever order they arrive in.
    runtime.dispatch([agreement_saved("AGR-STRICT", True, FIXED_NOW),
                      agreement_saved("AGR-STRICT", False, FIXED_NOW - timedelta(days=1)),
                      agreement_saved("AGR-LAX", False)])  # fmt: skip
    m3 = {"client_id": "BANK-A", "days_past_due": 75}
    strict = import_cases(assignment, m3 | {"agreement_id": "AGR-STRICT"})
    lax = import_cases(assignment, m3 | {"agreement_id": "AGR-LAX"})
    body = {"reason": "habitual late payers", "case_ids": strict + lax}
    answer = assignment.post("/agencies/AGY-1/placements", json=body, headers=s["boss"])
    assert answer.status_code == 201, answer.text
    by_case = {p["case_id"]: p for p in answer.json()}
    waiting, placed = by_case[strict[0]], by_case[lax[0]]
    assert (waiting["status"], waiting["collector_id"]) == ("waiting", None)
    assert waiting["approval_id"] and placed["approval_id"] is None
    assert placed["status"] == "placed"
    assert queue(assignment, s["as_user"]) == set(lax), "the waiting case has not moved"
    [asked] = outbox(assignment, "AgencyPlacementRequested")
    assert (asked.case_id, asked.payload.approval_id) == (strict[0], waiting["approval_id"])
    [request] = outbox(assignment, "ApprovalRequested")
    assert request.payload.kind == "agency_placement"
    again = assignment.post("/agencies/AGY-1/placements", json={"reason": "x", "case_ids": strict},
                            headers=s["admin"])  # fmt: skip
    assert again.status_code == 409, "a waiting placement counts as placed"

    grant = f"/approvals/{waiting['approval_id']}/grant"
    own = assignment.post(grant, json={}, headers=s["boss"])
    assert own.status_code == 409, "the placer does not grant their own placement"
    clock.at = FIXED_NOW + timedelta(days=2)
    granted = assignment.post(grant, json={"note": "同意委外"}, headers=s["admin"])
    assert granted.status_code == 200, granted.text
    assert queue(assignment, s["as_user"]) == set(lax + strict)
    [now_placed] = assignment.get("/agency-placements?status=placed", headers=s["boss"]).json()[:1]
    assert now_placed["case_id"] == strict[0], "newest first: placed at the grant"
    assert now_placed["until"] == "2027-02-23T02:00:00Z", "90 days from the grant"
    assert now_placed["collector_id"] == s["user"]["id"]
    events = outbox(assignment, "CasePlacedWithAgency")
    assert [(e.case_id, e.payload.approval_id) for e in events] == [
        (lax[0], None),
        (strict[0], waiting["approval_id"]),
    ]
    twice = assignment.post(grant, json={}, headers=s["admin"])
    assert twice.status_code == 409


def test_a_rejected_placement_leaves_the_case_with_its_collector(
    assignment: Any, as_role: Any
) -> None:
    s = setup(assignment, as_role)
    assignment.app.state.runtime.dispatch([agreement_saved("AGR-STRICT", True)])
    # A case that names no agreement: its client's active agreement requires approval.
    [case_id] = import_cases(assignment, {"client_id": "BANK-A", "days_past_due": 75})
    other = add_member(assignment, s["admin"], "boss2", Role.SUPERVISOR, team_id="T1")
    colleague = as_role(Role.SUPERVISOR, other["id"], "T1")
    body = {"reason": "委外试点", "case_ids": [case_id]}
    [waiting] = assignment.post("/agencies/AGY-1/placements", json=body, headers=s["boss"]).json()
    assert waiting["status"] == "waiting"
    holder = waiting["previous_collector_id"]
    inbox = assignment.get("/approvals", headers=colleague).json()
    assert [a["id"] for a in inbox if a["kind"] == "agency_placement"] == [waiting["approval_id"]]
    no = assignment.post(f"/approvals/{waiting['approval_id']}/reject",
                         json={"reason": "客户不同意委外"}, headers=colleague)  # fmt: skip
    assert no.status_code == 200, no.text
    [after] = assignment.get("/agency-placements?status=rejected", headers=s["boss"]).json()
    assert after["id"] == waiting["id"]
    assert case_id in queue(assignment, as_role(Role.PHONE_COLLECTOR, holder, "T1"))
    assert queue(assignment, s["as_user"]) == set()
    [rejected] = outbox(assignment, "AgencyPlacementRejected")
    assert rejected.payload.rejected_by == other["id"]
    assert rejected.payload.reason == "客户不同意委外"
    assert outbox(assignment, "CasePlacedWithAgency") == []
    recall = assignment.post(f"/agency-placements/{waiting['id']}/recall", json={"reason": "x"},
                             headers=s["boss"])  # fmt: skip
    assert recall.status_code == 409
    ask = {"kind": "agency_placement", "reason": "x"}
    asked = assignment.post(f"/cases/{case_id}/approvals", json=ask, headers=s["boss"])
    assert asked.status_code == 422, "asked through the placement route only"
