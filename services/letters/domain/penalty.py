"""Penalty on an overdue amount: amount × days overdue × daily rate, to the fen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.letters.domain.money_words import to_fen


@dataclass(frozen=True)
class Penalty:
    days_overdue: int
    total: Decimal
    per_day: Decimal


def penalty_to_date(
    amount_owed: Decimal, daily_rate: Decimal, starts_on: date, as_of: date
) -> Penalty:
    """Days are counted the Civil Code's way (art. 201): ``starts_on`` itself is not
    counted, the count begins the next day and ``as_of`` is counted — 15 Oct → 4 Dec is 50
    days (16 Oct … 4 Dec). The letter states this. The total is rounded once, from the
    exact product, so it is not the rounded daily increase times the days."""
    if amount_owed < 0 or daily_rate < 0:
        raise ValueError("amount and rate must not be negative")
    days = max((as_of - starts_on).days, 0)
    return Penalty(
        days_overdue=days,
        total=to_fen(amount_owed * daily_rate * days),
        per_day=to_fen(amount_owed * daily_rate),
    )
