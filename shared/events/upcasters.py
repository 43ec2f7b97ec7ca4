"""How an older version of an event is read: its payload turned into the next version's.

A breaking change to an event is a new ``event_version`` on its payload class plus one
function here from the previous version; ``decode`` chains them, so a consumer always
handles the current shape.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.clock import to_local
from shared.pastdue import BUCKETS, bucket_of

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def contact_attempted_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 called a field visit ``visit``; v2 says ``field_visit`` beside the new ``email``."""
    if payload.get("channel") == "visit":
        return {**payload, "channel": "field_visit"}
    return payload


def case_imported_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 counted ``days_past_due`` to the day received without saying so and filed every
    case over 90 days as ``M4+``; v2 names the day counted to, keeps the bank's own label
    apart and gives the platform's bucket (M0…M7+) on that day."""
    days = payload.get("days_past_due")
    counted_on = None
    if days is not None and payload.get("received_at"):
        counted_on = to_local(datetime.fromisoformat(str(payload["received_at"]))).date()
    label = payload.get("bucket")
    bank_label = label if label is not None and label not in (*BUCKETS, "M4+") else None
    return {
        **payload,
        "days_past_due_on": counted_on.isoformat() if counted_on else None,
        "bucket": bucket_of(days) if days is not None else None,
        "bank_bucket": payload.get("bank_bucket", bank_label),
    }


# (type, version) -> the upcaster from that version to the next.
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("ContactAttempted", 1): contact_attempted_v1_to_v2,
    ("CaseImported", 1): case_imported_v1_to_v2,
}
