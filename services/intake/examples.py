"""An example of each request body intake reads (shown in its OpenAPI docs)."""

from __future__ import annotations

from typing import Any

CHANNEL = {"contact_person": "陈经理", "phone": "021-5555 0100", "email": "data@bank.example"}

EXAMPLES: dict[str, dict[str, Any]] = {
    "EndpointBody": {"url": "https://alerts.bank.example/collections", "topics": []},
    "TopicsBody": {"topics": []},
    "DiscardIn": {"reason": "the case was recalled by the bank before the fix"},
    "ClientCreate": {"id": "ICBC-SH", "name": "工行上海", "kind": "bank"},
    "ApiKeyCreate": {"label": "nightly"},
    "PurgeOrder": {"reason": "5 years since the last agreement ended (2021-03-31)"},
    "AgreementCreate": {
        "number": "ICBC-SH-2026-01",
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "product_types": ["credit_card"],
        "reconciliation_day": 1,
        "recovery_target": "500000.00",
        "commission": {"rate": "0.18", "by_bucket": {"M4": "0.25"}},
        "regular_channel": CHANNEL,
        "emergency_channel": {**CHANNEL, "contact_person": "周主任", "phone": "021-5555 0199"},
        "column_mapping": {"客户编号": "account_ref", "应收合计": "total_owed", "提数日": "as_of"},
        "strict": False,
    },
    "AgreementUpdate": {"status": "suspended", "recovery_target": "450000.00"},
    "RecallBody": {"reason": "客户已在网点结清"},
    "AdjustmentBody": {"interest": "1,250.00", "total_owed": "21,250.00"},
    "PaymentBody": {
        "account_ref": "6222021001000001",
        "transaction_ref": "TX-20261201-0001",
        "amount": "1,234.50",
        "paid_at": "2026-12-01T10:30:00+08:00",
    },
}
