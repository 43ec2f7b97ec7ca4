"""An example of each request body reporting reads (shown in its OpenAPI docs)."""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, dict[str, Any]] = {
    "DiscardIn": {"reason": "the case was recalled by the bank before the fix"},
    "SubmissionIn": {"report": "collector_monthly", "on": "2026-11-01", "remarks": "月报"},
    "ReviewIn": {"note": "同意"},
}
