"""The dates a letter's proof may carry: a mailing, a delivery outcome or a signature is a
day that has happened, on or after the letter was issued, and a delivery is never before
its mailing. A date after today would move the limitation clock on something that did not
happen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from shared.clock import to_local

CLOCK_TOLERANCE = timedelta(minutes=10)
"""A device whose clock runs a little ahead may already be on tomorrow in Shanghai."""


class ProofDateRefused(ValueError):
    """A proof date that cannot be true; the message says which and why."""


def latest_possible_day(now: datetime) -> date:
    """Today in Shanghai, or tomorrow within the clock tolerance of midnight."""
    return to_local(now + CLOCK_TOLERANCE).date()


def check_proof_date(
    name: str,
    on: date,
    *,
    now: datetime,
    issued_at: datetime,
    mailed_on: date | None = None,
) -> None:
    today = to_local(now).date()
    if on > latest_possible_day(now):
        raise ProofDateRefused(f"{name} {on} is after today ({today} in Shanghai)")
    issued_on = to_local(issued_at).date()
    if on < issued_on:
        raise ProofDateRefused(f"{name} {on} is before the letter was issued on {issued_on}")
    if mailed_on is not None and on < mailed_on:
        raise ProofDateRefused(f"{name} {on} is before the mailing date {mailed_on}")
