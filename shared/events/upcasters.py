"""How an older version of an event is read: its payload turned into the next version's.

A breaking change to an event is a new ``event_version`` on its payload class plus one
function here from the previous version; ``decode`` chains them, so a consumer always
handles the current shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def contact_attempted_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 called a field visit ``visit``; v2 says ``field_visit`` beside the new ``email``."""
    if payload.get("channel") == "visit":
        return {**payload, "channel": "field_visit"}
    return payload


# (type, version) -> the upcaster from that version to the next.
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("ContactAttempted", 1): contact_attempted_v1_to_v2,
}
