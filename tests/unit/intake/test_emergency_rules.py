"""The emergency channel's pure rules: the Standard Webhooks signature, the retry
schedule, which events a bank receives, which endpoints are acceptable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.intake.emergency.domain import endpoint_problem, next_attempt, wanted
from services.intake.emergency.signing import headers, new_secret, signature

MADE = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_the_signature_matches_the_standard_webhooks_example() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    sent = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
    assert sent == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_during_a_rotation_every_valid_secret_signs() -> None:
    old, new = new_secret(), new_secret()
    signed = headers([new, old], "evt-1", MADE, b"{}")
    assert signed["webhook-timestamp"] == str(int(MADE.timestamp()))
    assert signed["webhook-signature"].split() == [
        signature(new, "evt-1", int(MADE.timestamp()), b"{}"),
        signature(old, "evt-1", int(MADE.timestamp()), b"{}"),
    ]


def test_retries_back_off_exponentially_and_stop_after_24_hours() -> None:
    now, waits = MADE, []
    attempts = 1
    while (at := next_attempt(MADE, attempts, now)) is not None:
        waits.append(at - now)
        now, attempts = at, attempts + 1
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert max(waits) == timedelta(hours=2)
    assert now <= MADE + timedelta(hours=24) < now + timedelta(hours=2)


@pytest.mark.parametrize(
    ("event_type", "kind", "chosen", "sent"),
    [
        ("PaymentReceived", None, {"payment_received"}, True),
        ("PaymentReceived", None, {"case_closed"}, False),
        ("PaymentPromised", None, {"promise_made"}, True),
        ("IncidentReported", "force_majeure", set(), True),
        ("IncidentReported", "debtor_against_client", set(), True),
        ("IncidentReported", "field_emergency", set(), False),
        ("IncidentReported", "field_emergency", {"incident_reported"}, True),
        ("CaseImported", None, {"case_closed", "payment_received"}, False),
    ],
)
def test_the_bank_gets_what_it_chose_and_the_incidents_it_must_be_told_of(
    event_type: str, kind: str | None, chosen: set[str], sent: bool
) -> None:
    assert wanted(event_type, frozenset(chosen), kind) is sent


@pytest.mark.parametrize(
    ("url", "production", "problem"),
    [
        ("https://alerts.bank.example/hook", True, None),
        ("http://alerts.bank.example/hook", False, "https"),
        ("http://127.0.0.1:9000/hook", False, None),
        ("http://127.0.0.1:9000/hook", True, "https"),
        ("ftp://alerts.bank.example/", False, "https"),
        ("https:///nohost", False, "host"),
    ],
)
def test_endpoints_are_https_with_loopback_http_for_local_receivers(
    url: str, production: bool, problem: str | None
) -> None:
    found = endpoint_problem(url, production=production)
    assert (found is None) if problem is None else (problem in (found or ""))
