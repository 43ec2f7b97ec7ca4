"""A case's timeline: every event in order for staff who may see the case; for its bank
the case's own facts without the agency's internal steps; nothing for anyone else."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.reporting.conftest import BANK_A, BANK_B, HQ, Desk, staff

C2 = staff("c-2", Role.PHONE_COLLECTOR, "T1", "B1")
C3 = staff("c-3", Role.PHONE_COLLECTOR, "T2", "B1")


def test_every_event_of_a_case_in_order(desk: Desk) -> None:
    case_b = desk.scenario.cases["B"]
    entries = desk.json(f"/cases/{case_b}/timeline", HQ)
    assert [e["event_type"] for e in entries] == [
        "CaseImported",
        "CaseAssigned",
        "ContactAttempted",
        "PaymentReceived",
        "CaseReassigned",
        "ContactAttempted",
        "PaymentPromised",
        "ContactAttempted",
        "CaseCostRecorded",
        "FieldVisitOrdered",
        "PaymentReceived",
        "PromiseKept",
        "FieldVisitReported",
        "ApprovalRequested",
    ]
    assert entries[0]["detail"]["account_ref"] == "ACC-B"
    assert "debtor" not in entries[0]["detail"]  # no personal details kept
    assert desk.json(f"/cases/{case_b}/timeline", C2) == entries  # its collector now


def test_the_bank_sees_its_case_without_internal_steps(desk: Desk) -> None:
    case_b = desk.scenario.cases["B"]
    entries = desk.json(f"/cases/{case_b}/timeline", BANK_A)
    types = [e["event_type"] for e in entries]
    assert "CaseReassigned" not in types and "CaseCostRecorded" not in types
    assert types.count("PaymentReceived") == 2
    assert all("collector_id" not in e["detail"] for e in entries)
    assert desk.get(f"/cases/{case_b}/timeline", BANK_B).status_code == 404
    assert desk.get(f"/cases/{case_b}/timeline", C3).status_code == 404
