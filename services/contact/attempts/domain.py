"""The words of the contact log: channels, parties, outcomes and reasons for arrears."""

from __future__ import annotations

from typing import Literal

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
