"""A dispute pauses contact until a supervisor resolves it with evidence; the resolution is
kept and announced; a fraud claim found true stops contact on the case for good."""

from __future__ import annotations

from typing import Any

from shared.auth.principal import Role
from tests.security.kit import staff

from .conftest import COLLECTOR_A, LEAD_T1, SUPERVISOR_T1, Desk
from .test_attempts_api import call

OTHER_SUPERVISOR = staff("super-9", Role.SUPERVISOR, "T9", "B1")


def raise_dispute(desk: Desk, **fields: Any) -> str:
    body = call(desk, outcome="dispute", dispute_reason="never had this card", **fields)
    assert desk.post("/attempts", body).status_code == 201
    (dispute,) = [d for d in desk.get("/disputes").json() if d["resolved_at"] is None]
    return dispute["id"]


def resolve(desk: Desk, dispute_id: str, who: Any = SUPERVISOR_T1, **body: Any) -> Any:
    return desk.post(f"/disputes/{dispute_id}/resolution", body, who=who)


def test_a_dispute_pauses_contact_until_a_supervisor_resolves_it_with_evidence(
    desk: Desk,
) -> None:
    dispute_id = raise_dispute(desk)
    blocked = desk.post("/contact-check", {}).json()
    assert [b["rule"] for b in blocked["blocks"]] == ["dispute_open"]

    answer = {"outcome": "rejected", "resolution": "signed application on file"}
    assert resolve(desk, dispute_id, **answer).status_code == 422, "evidence is required"
    assert resolve(desk, dispute_id, who=COLLECTOR_A, **answer, evidence="x").status_code == 403
    assert resolve(desk, dispute_id, who=LEAD_T1, **answer, evidence="x").status_code == 403
    stranger = resolve(desk, dispute_id, who=OTHER_SUPERVISOR, **answer, evidence="x")
    assert stranger.status_code == 404

    done = resolve(desk, dispute_id, **answer, evidence="application form scan, 2024-03-02")
    assert done.status_code == 200, done.text
    kept = done.json()
    assert (kept["outcome"], kept["resolved_by"], kept["resolution_evidence"]) == (
        "rejected", SUPERVISOR_T1.subject, "application form scan, 2024-03-02"
    )  # fmt: skip
    (event,) = desk.events("DisputeResolved")
    assert (event.dispute_id, event.resolution, event.resolved_by) == (
        dispute_id, "rejected", SUPERVISOR_T1.subject
    )  # fmt: skip
    assert desk.post("/contact-check", {}).json()["allowed"] is True
    again = resolve(desk, dispute_id, **answer, evidence="x")
    assert again.status_code == 409


def test_a_fraud_claim_found_true_stops_contact_and_one_found_false_resumes_it(
    make_desk: Any,
) -> None:
    for outcome, status, allowed in (("upheld", "not_owed", False), ("rejected", "active", True)):
        desk = make_desk()
        claim = call(desk, outcome="fraud_claimed", police_report_ref="PSB-2026-0042")
        assert desk.post("/attempts", claim).status_code == 201
        (dispute,) = desk.get("/disputes").json()
        assert dispute["kind"] == "fraud_claimed" and dispute["evidence"] == "PSB-2026-0042"
        body = {"outcome": outcome, "resolution": "bank's finding", "evidence": "bank letter 17"}
        assert resolve(desk, dispute["id"], **body).status_code == 200
        verdict = desk.post("/contact-check", {}).json()
        assert verdict["allowed"] is allowed, outcome
        if not allowed:
            assert [b["rule"] for b in verdict["blocks"]] == [f"case_{status}"]
