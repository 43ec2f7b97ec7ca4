"""Named contact-rule profiles: which limits apply to a client's or product's cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

NumberPlan = Literal["cn", "e164"]


@dataclass(frozen=True)
class RuleProfile:
    """Limits on outbound contact; ``None`` switches a limit off.

    Quiet hours run from ``quiet_from`` (inclusive) to ``quiet_until`` (exclusive) in the
    debtor's local time. Caps count outbound attempts on ``capped_channels`` to the same
    party, by local calendar day: one day, and seven consecutive days ending today. The
    cooldown forbids calls for that many local days after a conversation, the day of the
    conversation being the first.

    ``location_contacts``: whether a contact named on the case (neither debtor nor
    guarantor) may be reached at all, and then only to learn where the debtor is, never
    to hear of the debt (Regulation F's location communications, 12 CFR 1006.10). The CN
    card rules collect from the debtor and the guarantor only, so the CN profile says no.
    ``number_plan``: how a dialled number must look — ``cn`` a mainland mobile or landline
    (or the same in +86 form), ``e164`` any number in international form.
    """

    name: str
    quiet_from: time = time(21, 0)
    quiet_until: time = time(8, 0)
    max_per_day: int | None = None
    max_per_7_days: int | None = None
    conversation_cooldown_days: int | None = None
    timed_channels: frozenset[str] = frozenset({"phone", "sms", "fax", "field_visit"})
    capped_channels: frozenset[str] = frozenset({"phone"})
    location_contacts: bool = False
    number_plan: NumberPlan = "cn"


CN_DEFAULT = RuleProfile(name="cn_default", max_per_day=3, max_per_7_days=14)
US_REGULATION_F = RuleProfile(
    name="us_regulation_f",
    max_per_7_days=7,
    conversation_cooldown_days=7,
    location_contacts=True,
    number_plan="e164",
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
