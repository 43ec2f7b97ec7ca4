"""Named contact-rule profiles: which limits apply to a client's or product's cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class RuleProfile:
    """Limits on outbound contact; ``None`` switches a limit off.

    Quiet hours run from ``quiet_from`` (inclusive) to ``quiet_until`` (exclusive) in the
    debtor's local time. Caps count outbound attempts on ``capped_channels`` to the same
    party, by local calendar day: one day, and seven consecutive days ending today. The
    cooldown forbids calls for that many local days after a conversation, the day of the
    conversation being the first.
    """

    name: str
    quiet_from: time = time(21, 0)
    quiet_until: time = time(8, 0)
    max_per_day: int | None = None
    max_per_7_days: int | None = None
    conversation_cooldown_days: int | None = None
    timed_channels: frozenset[str] = frozenset({"phone", "sms", "fax", "field_visit"})
    capped_channels: frozenset[str] = frozenset({"phone"})


CN_DEFAULT = RuleProfile(name="cn_default", max_per_day=3, max_per_7_days=14)
US_REGULATION_F = RuleProfile(
    name="us_regulation_f", max_per_7_days=7, conversation_cooldown_days=7
)
PROFILES: dict[str, RuleProfile] = {p.name: p for p in (CN_DEFAULT, US_REGULATION_F)}


def profile_for(
    assignments: dict[str, str], default: str, client_id: str, product_type: str | None
) -> RuleProfile:
    """The profile named for ``client/product``, else for the client, else the default."""
    for key in (f"{client_id}/{product_type}" if product_type else None, client_id):
        if key and key in assignments:
            return PROFILES[assignments[key]]
    return PROFILES[default]
