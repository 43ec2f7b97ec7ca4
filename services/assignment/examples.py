"""An example of each request body assignment reads (shown in its OpenAPI docs)."""

from __future__ import annotations

from typing import Any

STAFF_ID = "2ffbcf41-862d-4736-b767-21cd17a5881c"

EXAMPLES: dict[str, dict[str, Any]] = {
    "IncidentBody": {"kind": "outage", "what": "the contact service answers 503"},
    "EmergencyBody": {"what": "the debtor's relatives threatened the field collector"},
    "EntryBody": {"entry": "action", "note": "restarted the contact service"},
    "Resolution": {"resolution": "service restored", "outcome": "no data lost"},
    "AgencyBody": {"name": "华东外包催收", "commission_rate": "0.1500", "term_days": 90},
    "PlacementBody": {"reason": "habitual late payers", "bucket": "M4", "limit": 100},
    "RecallBody": {"reason": "the term ended"},
    "DiscardIn": {"reason": "the case was recalled by the bank before the fix"},
    "Body_signIn": {"username": "wang.wu", "password": "wang.wu-password"},
    "StaffCreate": {
        "username": "wang.wu",
        "name": "王五",
        "role": "phone_collector",
        "password": "wang.wu-password",
        "team_id": "SH1",
        "branch_id": "B1",
        "regions": ["上海"],
        "dialects": ["沪语"],
        "capacity": 300,
        "monthly_quota": "80000.00",
    },
    "StaffUpdate": {"capacity": 250, "status": "on_leave"},
    "TeamCreate": {"id": "SH1", "name": "上海一组", "branch_id": "B1"},
    "TeamUpdate": {"lead_id": STAFF_ID, "supervisor_id": STAFF_ID},
    "RuleBody": {
        "name": "上海大额",
        "team_id": "SH1",
        "position": 10,
        "client_id": "ICBC-SH",
        "region": "上海",
        "min_amount": "50000",
        "enabled": True,
    },
    "HandAssignment": {"collector_id": STAFF_ID, "reason": "方言更熟"},
    "HandoverBody": {
        "from_collector_id": STAFF_ID,
        "reason": "left",
        "notes": "离职交接",
        "successor_ids": ["6d449834-8023-4748-ae74-1025b19ef041"],
    },
    "VisitList": {
        "field_collector_id": STAFF_ID,
        "visits": [{"case_id": "c8b90fb6-2441-41e4-b968-93dab49c7bf4", "purpose": "核实住址"}],
    },
    "VisitPlan": {
        "planned_for": "2026-12-07T10:00:00+08:00",
        "place": "上海市浦东新区…",
        "people": "孙七; the debtor and his mother",
        "vehicle": "沪A·12345",
    },
    "QuietHoursReason": {
        "planned_for": "2026-12-07T07:30:00+08:00",
        "reason": "债务人只在早班前在家",
    },
    "DelayRequest": {"until": "2026-12-10", "reason": "债务人出差，周三返沪"},
    "VisitResult": {"result": "债务人承诺月底前还款", "improper_conduct": None},
    "LadderBody": {
        "steps": [
            {"day": 0, "action": "visit", "channel": "field_visit"},
            {"day": 1, "action": "phone", "channel": "phone"},
            {"day": 7, "action": "overdue_notice", "channel": "letter"},
            {"day": 30, "action": "legal", "channel": "judicial"},
        ]
    },
    "DebtorAssessment": {"debtor_type": "habitual", "situation": "poor_with_prospects"},
    "ApprovalBody": {
        "kind": "extension",
        "reason": "承诺下月初还款",
        "until": "2026-12-31",
        "next_steps": "一周内回访",
    },
    "Decision": {"note": "同意"},
    "Rejection": {"reason": "材料不全"},
    "CostCreate": {"kind": "travel", "amount": "86.50", "incurred_on": "2026-12-03"},
    "BlacklistQuery": {"id_number": "110101199003071233"},
    "YearBody": {
        "days": [
            {"day": "2027-10-01", "kind": "holiday", "name": "国庆节"},
            {"day": "2027-09-26", "kind": "workday", "name": "国庆节调休"},
        ]
    },
}
