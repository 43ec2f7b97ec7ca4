"""The emergency channel's rules: which events a bank may choose, which incidents always
go, when a failed delivery is tried again, and which endpoints are acceptable. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from ipaddress import ip_address
from urllib.parse import urlsplit


class Topic(StrEnum):
    """What a bank may choose to receive besides the incidents it must be told of."""

    CASE_CLOSED = "case_closed"
    PAYMENT_RECEIVED = "payment_received"
    PROMISE_MADE = "promise_made"
    PROMISE_KEPT = "promise_kept"
    PROMISE_BROKEN = "promise_broken"
    LETTER_DELIVERED = "letter_delivered"
    INCIDENT_REPORTED = "incident_reported"


TOPIC_OF_EVENT: dict[str, Topic] = {
    "CaseClosed": Topic.CASE_CLOSED,
    "PaymentReceived": Topic.PAYMENT_RECEIVED,
    "PaymentPromised": Topic.PROMISE_MADE,
    "PromiseKept": Topic.PROMISE_KEPT,
    "PromiseBroken": Topic.PROMISE_BROKEN,
    "LetterDelivered": Topic.LETTER_DELIVERED,
    "IncidentReported": Topic.INCIDENT_REPORTED,
}

# Seeds §12: these are reported to the bank over the emergency channel whatever it chose.
INCIDENTS_THE_BANK_IS_TOLD_OF = frozenset({"force_majeure", "debtor_against_client", "outage"})

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=2)
GIVE_UP_AFTER = timedelta(hours=24)


def wanted(event_type: str, chosen: frozenset[str], incident_kind: str | None = None) -> bool:
    """Whether a bank that chose ``chosen`` receives this event."""
    if event_type == "IncidentReported" and incident_kind in INCIDENTS_THE_BANK_IS_TOLD_OF:
        return True
    topic = TOPIC_OF_EVENT.get(event_type)
    return topic is not None and topic.value in chosen


def next_attempt(created_at: datetime, failed_attempts: int, now: datetime) -> datetime | None:
    """After ``failed_attempts`` failures: when to try again (30 s, doubling, at most 2 h
    apart), or None once the next try would fall past 24 hours from the notification."""
    wait = min(FIRST_RETRY * 2 ** (failed_attempts - 1), LONGEST_WAIT)
    at = now + wait
    return at if at <= created_at + GIVE_UP_AFTER else None


def endpoint_problem(url: str, *, production: bool) -> str | None:
    """Why ``url`` cannot be an emergency endpoint, or None. HTTPS only; plain HTTP to a
    loopback address is accepted outside production, for local receivers and tests."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "the endpoint is not a URL"
    if not host or any(c.isspace() for c in url):
        return "the endpoint needs a host"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and not production and _loopback(host):
        return None
    return "the endpoint must be an https:// URL"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
