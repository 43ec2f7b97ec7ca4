"""Every event of a case, in order: the one place a dispute about what happened is settled.

The timeline keeps each event's facts but never a person's details (names, ID numbers,
phones, addresses stay with intake). A bank sees its case's own facts — receipt, changes,
contact, promises, letters, payments, disputes, closure — without the agency's internal
steps (who holds it, approvals, costs, visit orders, incidents) or staff ids.
"""

from __future__ import annotations

import json
from typing import Any

PERSONAL = frozenset({"debtor", "contacts", "home_address", "work_address", "employer"})
INTERNAL_TYPES = frozenset(
    {
        "CaseAssigned",
        "CaseReassigned",
        "ApprovalRequested",
        "ApprovalGranted",
        "ApprovalRejected",
        "CaseCostRecorded",
        "FieldVisitOrdered",
        "FieldVisitCompleted",
        "FieldVisitSignedOff",
        "FieldVisitReported",
        "IncidentReported",  # the bank hears of the ones it must over its emergency channel
        "IncidentLogged",
        "IncidentResolved",
    }
)


def detail_of(event: Any) -> str:
    facts = event.payload.model_dump(mode="json", exclude=PERSONAL)
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


def for_bank(event_type: str, detail: dict[str, Any]) -> dict[str, Any] | None:
    """What a bank may see of one entry (None: nothing)."""
    if event_type in INTERNAL_TYPES:
        return None
    return {
        k: v
        for k, v in detail.items()
        if not (k.endswith("_by") or k.endswith("collector_id") or k in ("overridden_rules",))
    }
