"""Checking before a call and logging it, through the API: the rules refuse what they
block (naming the rule), a supervisor may override with a reason, and every decision is
kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from services.contact.rules.models import ContactDecision
from tests.conftest import FIXED_NOW

from .conftest import ADMIN, COLLECTOR_A, COLLECTOR_B, HQ, LEAD_T1, SUPERVISOR_T1, Desk

NUMBER = "13800138000"


def call(desk: Desk, **fields: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "party": "debtor",
        "used": NUMBER,
        "started_at": desk.clock.now.isoformat(),
        "outcome": "no_answer",
        **fields,
    }


def decisions(desk: Desk) -> list[tuple[str, bool, str]]:
    with desk.runtime.db.reader() as session:
        rows = session.execute(
            select(
                ContactDecision.purpose, ContactDecision.allowed, ContactDecision.rules
            ).order_by(ContactDecision.decided_at, ContactDecision.purpose)
        ).all()
    return [tuple(r) for r in rows]


def test_check_call_and_log_in_working_hours(desk: Desk) -> None:
    check = desk.post("/contact-check", {"used": NUMBER})
    assert check.status_code == 200, check.text
    verdict = check.json()
    assert verdict["allowed"] is True and verdict["blocks"] == []
    assert verdict["profile"] == "cn_default" and verdict["disclosure"] == "full"
    assert verdict["suggested_call_at"] == "2026-11-24T00:45:00Z", "08:45 Shanghai tomorrow"

    body = call(desk, outcome="right_party_contact", arrears_reason="cash_flow", excuse="pay late")
    logged = desk.post("/attempts", body)
    assert logged.status_code == 201, logged.text
    attempt = logged.json()
    assert attempt["first_attempt"] is True and attempt["first_contact_late"] is False
    assert attempt["conversation"] is True and attempt["collector_id"] == COLLECTOR_A.subject
    (event,) = desk.events("ContactAttempted")
    assert event.attempt_id == attempt["id"] and event.arrears_reason == "cash_flow"
    assert event.first_attempt is True
    assert [a["id"] for a in desk.get("/attempts").json()] == [attempt["id"]]
    assert decisions(desk) == [("check", True, ""), ("log", True, "")]


def test_a_call_in_quiet_hours_is_refused_naming_the_rule_and_the_refusal_is_kept(
    desk: Desk,
) -> None:
    desk.clock.now = FIXED_NOW + timedelta(hours=11)  # 21:00 in Shanghai
    check = desk.post("/contact-check", {}).json()
    assert check["allowed"] is False
    assert [b["rule"] for b in check["blocks"]] == ["quiet_hours"]
    assert check["next_allowed_at"] == "2026-11-24T00:00:00Z", "08:00 Shanghai"

    refused = desk.post("/attempts", call(desk))
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["title"] == "Contact not allowed"
    assert problem["errors"][0]["rule"] == "quiet_hours"
    assert desk.get("/attempts").json() == []
    assert desk.events("ContactAttempted") == []
    assert decisions(desk) == [("check", False, "quiet_hours"), ("log", False, "quiet_hours")]


def test_only_a_supervisor_overrides_and_the_override_is_on_the_record(desk: Desk) -> None:
    desk.clock.now = FIXED_NOW + timedelta(hours=11)
    body = call(
        desk, override_reason="debtor asked to be called after work", late_reason="on leave"
    )
    assert desk.post("/attempts", body).status_code == 403
    overridden = desk.post("/attempts", body, who=SUPERVISOR_T1)
    assert overridden.status_code == 201, overridden.text
    assert overridden.json()["overridden_rules"] == "quiet_hours"
    (event,) = desk.events("ContactAttempted")
    assert event.overridden_rules == ("quiet_hours",)
    with desk.runtime.db.reader() as session:
        reasons = (
            session.execute(
                select(ContactDecision.override_reason).where(ContactDecision.allowed.is_(False))
            )
            .scalars()
            .all()
        )
    assert "debtor asked to be called after work" in reasons


def test_the_daily_cap_refuses_the_fourth_call_of_the_day(desk: Desk) -> None:
    for _ in range(3):
        assert desk.post("/attempts", call(desk)).status_code == 201
        desk.clock.advance(minutes=30)
    refused = desk.post("/attempts", call(desk))
    assert refused.status_code == 409 and refused.json()["errors"][0]["rule"] == "daily_cap"
    sms = desk.post("/attempts", call(desk, channel="sms"))
    assert sms.status_code == 201, "the cap counts calls only"


def test_cn_calls_to_a_named_contact_are_blocked_and_strangers_too(desk: Desk) -> None:
    verdict = desk.post("/contact-check", {"party": "contact", "party_name": "李四"}).json()
    assert not verdict["allowed"] and verdict["disclosure"] == "none"
    assert [b["rule"] for b in verdict["blocks"]] == ["third_party"]
    named = desk.post("/attempts", call(desk, party="contact", party_name="李四"))
    assert named.status_code == 409 and named.json()["errors"][0]["rule"] == "third_party"
    stranger = desk.post("/attempts", call(desk, party="contact", party_name="王五"))
    assert stranger.status_code == 409
    assert stranger.json()["errors"][0]["rule"] == "unnamed_third_party"
    assert desk.get("/attempts").json() == [] and desk.events("ContactAttempted") == []
    guarantor = desk.post("/attempts", call(desk, party="guarantor"))
    assert guarantor.status_code == 201, guarantor.text


def test_regulation_f_named_contacts_are_reached_for_location_only(make_desk) -> None:
    desk = make_desk(contact_profiles={"BANK-A": "us_regulation_f"})
    desk.clock.now = FIXED_NOW + timedelta(hours=2)  # 12:00 in Shanghai, the case's zone
    body = {"party": "contact", "party_name": "李四", "used": "+12125550100"}
    verdict = desk.post("/contact-check", body).json()
    assert verdict["allowed"] and verdict["disclosure"] == "location_only"


def test_a_malformed_number_is_blocked_in_the_check_and_on_logging(desk: Desk) -> None:
    verdict = desk.post("/contact-check", {"used": "12345"}).json()
    assert not verdict["allowed"] and [b["rule"] for b in verdict["blocks"]] == ["invalid_number"]
    refused = desk.post("/attempts", call(desk, used="12345"))
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["rule"] == "invalid_number"
    assert "'12345'" in refused.json()["detail"]
    assert desk.post("/attempts", call(desk, used="021-54321098")).status_code == 201
    assert desk.post("/attempts", call(desk, used="+86 138 0013 8000")).status_code == 201


def test_a_wrong_number_is_not_called_again(desk: Desk) -> None:
    assert desk.post("/attempts", call(desk, outcome="wrong_number")).status_code == 201
    verdict = desk.post("/contact-check", {"used": NUMBER}).json()
    assert [b["rule"] for b in verdict["blocks"]] == ["do_not_call"]
    assert verdict["next_allowed_at"] is None
    assert desk.post("/contact-check", {"used": "13900139000"}).json()["allowed"]


def test_a_fraud_claim_gives_the_case_its_status_and_pauses_contact(desk: Desk) -> None:
    claim = call(desk, outcome="fraud_claimed", police_report_ref="PSB-2026-0042")
    assert desk.post("/attempts", claim).status_code == 201
    (raised,) = desk.events("DisputeRaised")
    assert raised.kind == "fraud_claimed"
    verdict = desk.post("/contact-check", {}).json()
    assert [b["rule"] for b in verdict["blocks"]] == ["dispute_open"]
    assert desk.get("").status_code == 200
    inbound = desk.post("/attempts", call(desk, direction="inbound", outcome="right_party_contact"))
    assert inbound.status_code == 201, "the debtor may still call in"


def test_a_fraud_claim_without_the_police_receipt_is_refused(desk: Desk) -> None:
    response = desk.post("/attempts", call(desk, outcome="fraud_claimed"))
    assert response.status_code == 422


def test_invoice_not_received_and_a_next_action_leave_follow_ups(desk: Desk) -> None:
    later = (FIXED_NOW + timedelta(days=1)).isoformat()
    body = call(desk, outcome="invoice_not_received", next_action="call back", next_action_at=later)
    assert desk.post("/attempts", body).status_code == 201
    kinds = {f["kind"]: f for f in desk.get("/follow-ups").json()}
    assert set(kinds) == {"statement_letter", "next_action"}
    assert kinds["next_action"]["due_at"] == "2026-11-24T02:00:00Z"


def test_a_debtor_whose_address_is_in_new_york_is_called_by_new_york_time(make_desk) -> None:
    from tests.events_kit import case_assigned, case_imported

    desk = make_desk()
    imported = case_imported(FIXED_NOW, home_address="12 W 4th St, New York, NY")
    desk.case_id = imported.case_id
    desk.dispatch(imported, case_assigned(FIXED_NOW, desk.case_id, COLLECTOR_A.subject))
    verdict = desk.post("/contact-check", {}).json()  # 10:00 in Shanghai, 21:00 in New York
    assert [b["rule"] for b in verdict["blocks"]] == ["quiet_hours"]
    assert verdict["next_allowed_at"] == "2026-11-23T13:00:00Z", "08:00 in New York"


def test_us_profile_waits_seven_days_after_a_conversation(make_desk) -> None:
    desk = make_desk(contact_profiles={"BANK-A": "us_regulation_f"})
    spoke = desk.post("/attempts", call(desk, outcome="promise_to_pay", used="+12125550100"))
    assert spoke.status_code == 201
    desk.clock.advance(days=6)
    verdict = desk.post("/contact-check", {}).json()
    assert verdict["profile"] == "us_regulation_f"
    assert [b["rule"] for b in verdict["blocks"]] == ["conversation_cooldown"]
    desk.clock.advance(days=1)
    assert desk.post("/contact-check", {}).json()["allowed"]


def test_only_the_case_desk_sees_its_contact_log(desk: Desk) -> None:
    assert desk.post("/attempts", call(desk)).status_code == 201
    for outsider in (COLLECTOR_B, HQ):
        assert desk.get("/attempts", who=outsider).status_code == 404
        assert desk.get("/promises", who=outsider).status_code == 404
        assert desk.post("/contact-check", {}, who=outsider).status_code == 404
        assert desk.post("/attempts", call(desk), who=outsider).status_code == 404
    for insider in (LEAD_T1, SUPERVISOR_T1, ADMIN):
        assert len(desk.get("/attempts", who=insider).json()) == 1
    with desk.runtime.db.reader() as session:
        count = session.execute(select(func.count()).select_from(ContactDecision)).scalar_one()
    assert count == 1, "an outsider's attempt leaves no decision behind"


def test_the_daily_cap_counts_the_same_debtors_calls_on_another_case(desk: Desk) -> None:
    from tests.events_kit import case_assigned, case_imported

    first_case = desk.case_id
    cases = []
    for _ in range(2):
        imported = case_imported(FIXED_NOW, id_number="110101199003071233")
        desk.dispatch(imported, case_assigned(FIXED_NOW, imported.case_id, COLLECTOR_A.subject))
        cases.append(imported.case_id)
    desk.case_id = cases[0]
    for _ in range(2):
        assert desk.post("/attempts", call(desk)).status_code == 201
        desk.clock.advance(minutes=20)
    desk.case_id = first_case
    assert desk.post("/contact-check", {}).json()["allowed"], "another debtor's calls"
    desk.case_id = cases[1]
    assert desk.post("/attempts", call(desk)).status_code == 201
    desk.clock.advance(minutes=20)
    refused = desk.post("/attempts", call(desk))
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["rule"] == "daily_cap"
    assert "2 on the debtor's other cases" in refused.json()["errors"][0]["detail"]
