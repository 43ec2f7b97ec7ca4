"""An example of each request body letters reads (shown in its OpenAPI docs)."""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, dict[str, Any]] = {
    "DiscardIn": {"reason": "the case was recalled by the bank before the fix"},
    "GuaranteeIn": {"guarantor_name": "赵六", "starts_on": "2026-08-15", "ends_on": "2027-02-15"},
    "IssueLetter": {"kind": "final_notice", "fields": {"contract_no": "GF-2025-0301"}},
    "DispatchIn": {
        "channel": "registered_mail",
        "carrier": "中国邮政",
        "tracking_number": "XA123456789CN",
        "mailed_on": "2026-12-04",
    },
    "DeliveryIn": {"outcome": "refused", "outcome_on": "2026-12-07", "recipient_fault": True},
    "LetterheadIn": {
        "name": "某银行信用卡中心",
        "address": "上海市…",
        "phone": "021-5555 0100",
        "dispute_phone": "400-555-0199",
    },
    "BatchIn": {
        "kind": "overdue_notice",
        "case_ids": ["c8b90fb6-2441-41e4-b968-93dab49c7bf4"],
        "fields": {},
    },
}
