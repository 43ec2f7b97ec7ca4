"""An example of each request body contact reads (shown in its OpenAPI docs)."""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, dict[str, Any]] = {
    "CustodianBody": {"admin_id": "admin"},
    "BackupBody": {"branch_id": "SH"},
    "DiscardIn": {"reason": "the case was recalled by the bank before the fix"},
    "ContactCheck": {"channel": "phone", "party": "debtor", "used": "13912345678"},
    "AttemptCreate": {
        "channel": "phone",
        "direction": "outbound",
        "party": "debtor",
        "used": "13912345678",
        "started_at": "2026-12-04T10:50:00+08:00",
        "ended_at": "2026-12-04T10:56:00+08:00",
        "outcome": "promise_to_pay",
        "arrears_reason": "cash_flow",
        "excuse": "salary is late",
        "next_action": "confirm the transfer",
        "next_action_at": "2026-12-07T10:00:00+08:00",
    },
    "PromiseCreate": {"amount": "1500.00", "due_on": "2026-12-07"},
    "DetailCreate": {
        "kind": "phone",
        "value": "13733334444",
        "source": "skip_tracing",
        "note": "from his brother",
    },
    "DetailChange": {"status": "invalid", "note": "a noodle shop"},
    "DisputeResolution": {
        "outcome": "rejected",
        "resolution": "signed application on file",
        "evidence": "scan 2024-03-02",
    },
    "VisitReport": {
        "visited_at": "2026-12-05T10:00:00+08:00",
        "place": "上海市浦东新区…",
        "people_met": "his mother",
        "outcome": "third_party",
        "found": "works in Suzhou now",
    },
}
