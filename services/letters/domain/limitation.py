"""The 3-year limitation period (诉讼时效) of a case and what moved it.

It runs from the day the creditor knew of the default. A demand delivered to the debtor,
a notice sent by EMS to a guarantor within the guarantee period, and the debtor's promise
to pay or part payment (agreement to perform) each interrupt it, and it starts again
from that day (Civil Code arts. 188, 195). Once it has run out those no longer revive it;
a signed acknowledgment of the debt after expiry re-confirms it (SPC reply 法释〔1999〕7号),
and the period starts again from the signature.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

YEARS = 3
FactKind = Literal[
    "default_known",
    "demand_delivered",
    "guarantor_notice",
    "payment_promised",
    "payment_received",
    "acknowledgment_signed",
]
Effect = Literal["started", "interrupted", "reconfirmed", "no_effect_after_expiry"]
INTERRUPTS: frozenset[str] = frozenset(
    {"demand_delivered", "guarantor_notice", "payment_promised", "payment_received"}
)


@dataclass(frozen=True)
class Fact:
    on: date
    kind: FactKind
    ref: str = ""


@dataclass(frozen=True)
class Step:
    fact: Fact
    effect: Effect
    ends_on: date


@dataclass(frozen=True)
class Clock:
    steps: tuple[Step, ...]
    ends_on: date | None

    def expired(self, today: date) -> bool:
        return self.ends_on is not None and today > self.ends_on

    def days_left(self, today: date) -> int | None:
        return None if self.ends_on is None else (self.ends_on - today).days


def years_after(day: date, years: int = YEARS) -> date:
    """The corresponding day ``years`` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


GUARANTEE_MONTHS = 6
"""A guarantee period nobody agreed on: six months from the debt's due date (Civil Code
art. 692); a real one is entered on the case."""


def months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def limitation_clock(facts: Iterable[Fact]) -> Clock:
    """Replay the facts in date order; the first ``default_known`` starts the clock, facts
    dated before it are ignored."""
    steps: list[Step] = []
    ends_on: date | None = None
    for fact in sorted(facts, key=lambda f: (f.on, f.kind != "default_known")):
        if ends_on is None:
            if fact.kind == "default_known":
                ends_on = years_after(fact.on)
                steps.append(Step(fact, "started", ends_on))
            continue
        if fact.kind == "default_known":
            continue
        if fact.on <= ends_on and (fact.kind in INTERRUPTS or fact.kind == "acknowledgment_signed"):
            ends_on = years_after(fact.on)
            steps.append(Step(fact, "interrupted", ends_on))
        elif fact.kind == "acknowledgment_signed":
            ends_on = years_after(fact.on)
            steps.append(Step(fact, "reconfirmed", ends_on))
        else:
            steps.append(Step(fact, "no_effect_after_expiry", ends_on))
    return Clock(tuple(steps), ends_on)
