"""Pure placement policy: which team a case goes to (ordered rules) and which of the team's
collectors gets it (the eligible one with the most spare capacity; ties go to whoever was
picked least recently, then by id, so the outcome is fair and repeatable)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

FIRST_ACTION_WITHIN = timedelta(hours=2)


def first_action_due(assigned_at: datetime) -> datetime:
    """The collector must start working a case within 2 hours of receiving it."""
    return assigned_at + FIRST_ACTION_WITHIN


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    client_id: str
    product_type: str | None = None
    bucket: str | None = None
    region: str | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class Rule:
    """Every condition it names must match; ``None`` matches anything. The amount band is
    ``min_amount <= amount < max_amount``."""

    id: str
    team_id: str
    name: str = ""
    client_id: str | None = None
    product_type: str | None = None
    bucket: str | None = None
    region: str | None = None
    dialect: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None

    def matches(self, case: CaseFacts) -> bool:
        pairs = (
            (self.client_id, case.client_id),
            (self.product_type, case.product_type),
            (self.bucket, case.bucket),
            (self.region, case.region),
        )
        if any(wanted is not None and wanted != given for wanted, given in pairs):
            return False
        if self.min_amount is None and self.max_amount is None:
            return True
        if case.amount is None:
            return False
        if self.min_amount is not None and case.amount < self.min_amount:
            return False
        return self.max_amount is None or case.amount < self.max_amount


@dataclass
class Collector:
    """A phone collector as placement sees them; ``open_cases`` and ``last_pick`` change
    as a run places cases."""

    id: str
    team_id: str | None
    branch_id: str | None = None
    capacity: int = 0
    open_cases: int = 0
    last_pick: int = 0
    regions: frozenset[str] = frozenset()
    product_types: frozenset[str] = frozenset()
    buckets: frozenset[str] = frozenset()
    dialects: frozenset[str] = frozenset()

    @property
    def spare(self) -> int:
        return self.capacity - self.open_cases

    def has_skills(self, case: CaseFacts, dialect: str | None) -> bool:
        """An empty skill list means any; a case without the fact asks for nothing."""
        for offered, wanted in (
            (self.product_types, case.product_type),
            (self.buckets, case.bucket),
            (self.regions, case.region),
        ):
            if offered and wanted is not None and wanted not in offered:
                return False
        return dialect is None or dialect in self.dialects


@dataclass(frozen=True)
class Placement:
    case: CaseFacts
    collector: Collector | None
    rule: Rule | None
    reason: str | None = None

    @property
    def team_id(self) -> str | None:
        if self.collector is not None:
            return self.collector.team_id
        return self.rule.team_id if self.rule else None


def route(rules: Sequence[Rule], case: CaseFacts) -> Rule | None:
    """The first rule, in order, that the case matches."""
    return next((rule for rule in rules if rule.matches(case)), None)


def best(candidates: Iterable[Collector]) -> Collector | None:
    return min(candidates, key=lambda c: (-c.spare, c.last_pick, c.id), default=None)


@dataclass
class Pool:
    """The collectors and rules of one run; placing a case counts it against its collector.

    Rules and skills do not change during a run, so the rule a case's facts route to and
    the collectors skilled for them are worked out once per distinct set of facts."""

    rules: Sequence[Rule]
    collectors: Sequence[Collector]
    next_pick: int = 1
    _teams: dict[str | None, list[Collector]] = field(init=False, default_factory=dict)
    _routes: dict[tuple[object, ...], Rule | None] = field(init=False, default_factory=dict)
    _skilled: dict[tuple[object, ...], list[Collector]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for collector in self.collectors:
            self._teams.setdefault(collector.team_id, []).append(collector)

    def _route(self, case: CaseFacts) -> Rule | None:
        facts = (case.client_id, case.product_type, case.bucket, case.region, case.amount)
        if facts not in self._routes:
            self._routes[facts] = route(self.rules, case)
        return self._routes[facts]

    def _skilled_for(
        self, rule: Rule | None, members: Sequence[Collector], case: CaseFacts
    ) -> list[Collector]:
        dialect = rule.dialect if rule else None
        facts = (rule.id if rule else None, case.product_type, case.bucket, case.region)
        if facts not in self._skilled:
            self._skilled[facts] = [c for c in members if c.has_skills(case, dialect)]
        return self._skilled[facts]

    def place(self, case: CaseFacts) -> Placement:
        rule = self._route(case)
        members = self._teams.get(rule.team_id, []) if rule else self.collectors
        where = f"team {rule.team_id}" if rule else "any team"
        if not members:
            return Placement(case, None, rule, f"{where}: no active phone collector")
        skilled = self._skilled_for(rule, members, case)
        if not skilled:
            return Placement(case, None, rule, f"{where}: nobody with the skills for this case")
        chosen = best(c for c in skilled if c.spare > 0)
        if chosen is None:
            return Placement(case, None, rule, f"{where}: every skilled collector is at capacity")
        chosen.open_cases += 1
        chosen.last_pick = self.next_pick
        self.next_pick += 1
        return Placement(case, chosen, rule)
