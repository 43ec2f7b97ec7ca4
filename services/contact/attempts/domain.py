"""The words of the contact log (channels, parties, outcomes, reasons for arrears), and
when a logged attempt may say it happened: not in the future, not before the case
reached its collector; stated long before it is logged, it is a late entry that needs a
reason, goes to the supervisor, and does not prove an on-time first contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.errors import ProblemError
from shared.events.catalog import OUTCOMES_NOT_REACHED

Channel = Literal["phone", "sms", "letter", "fax", "field_visit", "email"]
Direction = Literal["outbound", "inbound"]
Party = Literal["debtor", "guarantor", "contact"]
Outcome = Literal[
    "right_party_contact",
    "third_party",
    "message_left",
    "no_answer",
    "busy",
    "voicemail",
    "wrong_number",
    "disconnected",
    "refused",
    "promise_to_pay",
    "dispute",
    "already_paid",
    "waiting_for_customer_payment",
    "invoice_not_received",
    "reorganising",
    "hardship",
    "fraud_claimed",
    "cease_requested",
    "deceased",
    "debtor_unreachable_claimed",
    "other",
]
ArrearsReason = Literal[
    "cash_flow",
    "market_change",
    "family_event",
    "underfunded_account",
    "paid_to_wrong_account",
    "malicious",
    "third_party_dispute",
    "other",
]

PAYMENT_RECHECK_WORKDAYS = 2


def is_conversation(channel: str, party: str, outcome: str) -> bool:
    """Whether the attempt reached the party themselves and they spoke with the collector."""
    return channel == "phone" and party != "contact" and outcome not in OUTCOMES_NOT_REACHED


@dataclass(frozen=True)
class Timing:
    stated: datetime
    logged: datetime
    late_entry: bool

    @property
    def witnessed(self) -> datetime:
        """The moment the first-contact clock counts: the stated time of a timely entry,
        the logging time of a late one (nobody saw the call happen before that)."""
        return self.logged if self.late_entry else self.stated


def timing_of(
    stated: datetime,
    logged: datetime,
    *,
    reached_collector: datetime,
    late_after: timedelta,
    tolerance: timedelta,
    late_entry_reason: str | None,
    field: str = "started_at",
) -> Timing:
    """The attempt's timing, or a 422 naming the field and the limit it broke. The clock
    tolerance works both ways: a collector's device may run a little behind the server's."""
    if stated > logged + tolerance:
        raise _refused(
            field, f"{field} {stated.isoformat()} is in the future (now {logged:%H:%M:%S} UTC)"
        )
    if stated < reached_collector - tolerance:
        raise _refused(
            field,
            f"{field} {stated.isoformat()} is before the case reached its collector "
            f"({reached_collector.isoformat()})",
        )
    late = logged - stated > late_after
    if late and not (late_entry_reason or "").strip():
        minutes = int(late_after.total_seconds() // 60)
        raise _refused(
            "late_entry_reason",
            f"{field} is more than {minutes} minutes before logging: give late_entry_reason "
            "(the entry is shown to the supervisor)",
        )
    return Timing(stated, logged, late)


def _refused(location: str, message: str) -> ProblemError:
    return ProblemError(422, message, errors=[{"location": f"body.{location}", "message": message}])
