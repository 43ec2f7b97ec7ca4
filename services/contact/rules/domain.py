"""The contact rules as pure functions: may this party be contacted now, and if not, why
and from when. No I/O; the store gathers the facts, the service keeps the decision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import takewhile
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from services.contact.rules.numbers import DIALLED_CHANNELS, number_problem
from services.contact.rules.profiles import RuleProfile

Disclosure = Literal["full", "location_only", "none"]


class PastAttempt(NamedTuple):
    """An earlier attempt as the rules see it (a tuple: a check may build a thousand)."""

    at: datetime
    channel: str
    party: str
    direction: str = "outbound"
    conversation: bool = False


@dataclass(frozen=True)
class Situation:
    """What the rules need to know about a case, gathered before the check."""

    timezone: ZoneInfo
    attempts: Sequence[PastAttempt] = ()
    """The case's attempts around the moment judged — for a call logged after the fact,
    also those logged between its stated time and now, which the caps count with it."""
    named_contacts: frozenset[str] = frozenset()
    dispute_open: bool = False
    cease_requested: bool = False
    do_not_call: frozenset[str] = frozenset()
    debtor_elsewhere: Sequence[PastAttempt] = ()
    """Attempts to the same debtor (same ID number) on their other cases: the daily cap
    counts them with this case's."""
    standing: tuple[str, ...] = ()
    """Standing of the case itself that stops contact (e.g. ``not_owed``)."""
    memo: dict[tuple[object, ...], list[date]] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )
    """Local days of the attempts each rule counts, worked out once per check (the search
    for the next allowed moment asks the rules many times)."""

    def days(
        self, key: tuple[object, ...], attempts: Sequence[PastAttempt], keep: Callable[..., bool]
    ) -> list[date]:
        """The local days of the ``attempts`` that ``keep`` keeps, latest first."""
        known = self.memo.get(key)
        if known is None:
            known = sorted((_local_day(a.at, self.timezone) for a in attempts if keep(a)),
                           reverse=True)  # fmt: skip
            self.memo[key] = known
        return known


@dataclass(frozen=True)
class Proposal:
    channel: str
    party: str
    direction: str = "outbound"
    number: str | None = None
    contact_name: str | None = None


@dataclass(frozen=True)
class Block:
    rule: str
    detail: str
    until: datetime | None = None


@dataclass(frozen=True)
class Decision:
    blocks: tuple[Block, ...]
    disclosure: Disclosure
    next_allowed_at: datetime | None = None

    @property
    def allowed(self) -> bool:
        return not self.blocks

    @property
    def rules(self) -> list[str]:
        return [b.rule for b in self.blocks]


def _local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _start_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def in_quiet_hours(profile: RuleProfile, local: time) -> bool:
    start, end = profile.quiet_from, profile.quiet_until
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours(profile: RuleProfile, situation: Situation, now: datetime) -> Block | None:
    tz = situation.timezone
    local = now.astimezone(tz)
    if not in_quiet_hours(profile, local.timetz().replace(tzinfo=None)):
        return None
    day = local.date() if local.time() < profile.quiet_until else local.date() + timedelta(1)
    until = datetime.combine(day, profile.quiet_until, tzinfo=tz).astimezone(UTC)
    return Block(
        "quiet_hours",
        f"{local:%H:%M} at the debtor ({tz.key}) is inside quiet hours "
        f"{profile.quiet_from:%H:%M}–{profile.quiet_until:%H:%M}",
        until,
    )


def _capped(profile: RuleProfile, party: str) -> Callable[[PastAttempt], bool]:
    return lambda a: (
        a.direction == "outbound" and a.party == party and a.channel in profile.capped_channels
    )


def _counted(profile: RuleProfile, situation: Situation, proposal: Proposal) -> list[date]:
    key = ("here", proposal.party, profile.capped_channels)
    return situation.days(key, situation.attempts, _capped(profile, proposal.party))


def daily_cap(
    profile: RuleProfile, situation: Situation, proposal: Proposal, now: datetime
) -> Block | None:
    """Per party and local day; for the debtor, across all their cases together."""
    cap = profile.max_per_day
    if cap is None or proposal.channel not in profile.capped_channels:
        return None
    today = _local_day(now, situation.timezone)
    count = sum(1 for d in _counted(profile, situation, proposal) if d == today)
    elsewhere = 0
    if proposal.party == "debtor":
        key = ("elsewhere", profile.capped_channels)
        days = situation.days(key, situation.debtor_elsewhere, _capped(profile, "debtor"))
        elsewhere = sum(1 for d in days if d == today)
    if count + elsewhere < cap:
        return None
    until = _start_of(today + timedelta(1), situation.timezone)
    where = f" ({elsewhere} on the debtor's other cases)" if elsewhere else ""
    return Block(
        "daily_cap", f"{count + elsewhere} attempts today{where}; the limit is {cap} a day", until
    )


def seven_day_cap(
    profile: RuleProfile, situation: Situation, proposal: Proposal, now: datetime
) -> Block | None:
    cap = profile.max_per_7_days
    if cap is None or proposal.channel not in profile.capped_channels:
        return None
    today = _local_day(now, situation.timezone)
    start = today - timedelta(6)
    window = list(takewhile(lambda d: d >= start, _counted(profile, situation, proposal)))
    if len(window) < cap:
        return None
    until = _start_of(window[cap - 1] + timedelta(7), situation.timezone)
    return Block("seven_day_cap", f"{len(window)} attempts in 7 days; the limit is {cap}", until)


def conversation_cooldown(
    profile: RuleProfile, situation: Situation, proposal: Proposal, now: datetime
) -> Block | None:
    days = profile.conversation_cooldown_days
    if days is None or proposal.channel != "phone":
        return None
    spoken = situation.days(
        ("spoken", proposal.party),
        situation.attempts,
        lambda a: a.conversation and a.channel == "phone" and a.party == proposal.party,
    )
    today = _local_day(now, situation.timezone)
    spoken = [d for d in spoken if d <= today]
    if not spoken:
        return None
    free_from = spoken[0] + timedelta(days)
    if today >= free_from:
        return None
    return Block(
        "conversation_cooldown",
        f"a conversation on {spoken[0]}; no calls for {days} days after it",
        _start_of(free_from, situation.timezone),
    )


def third_party(profile: RuleProfile, situation: Situation, proposal: Proposal) -> Block | None:
    """Collect from the debtor and the guarantor; a contact named on the case only where
    the profile allows location contact, and never anyone the case does not name."""
    if proposal.party != "contact":
        return None
    name = (proposal.contact_name or "").strip()
    if name not in situation.named_contacts:
        return Block(
            "unnamed_third_party",
            "only the debtor, the guarantor and contacts named on the case may be contacted",
        )
    if proposal.direction == "outbound" and not profile.location_contacts:
        return Block(
            "third_party",
            f"under {profile.name} only the debtor and the guarantor may be contacted; "
            f"{name} is named on the case but is neither",
        )
    return None


def invalid_number(profile: RuleProfile, proposal: Proposal) -> Block | None:
    if proposal.channel not in DIALLED_CHANNELS or not proposal.number:
        return None
    problem = number_problem(proposal.number, profile.number_plan)
    return Block("invalid_number", problem) if problem else None


def standing_blocks(situation: Situation, proposal: Proposal) -> list[Block]:
    """Blocks that last until someone lifts them (no time at which they end)."""
    blocks = [
        Block(f"case_{status}", f"the case is {status.replace('_', ' ')}; no contact")
        for status in situation.standing
    ]
    if situation.dispute_open:
        blocks.append(Block("dispute_open", "the debt is disputed; contact waits for the outcome"))
    if situation.cease_requested:
        blocks.append(Block("cease_request", "the debtor asked that contact stop"))
    if proposal.number and proposal.number in situation.do_not_call:
        blocks.append(Block("do_not_call", "this number must not be called"))
    return blocks


def blocks_at(
    profile: RuleProfile, situation: Situation, proposal: Proposal, now: datetime
) -> tuple[Block, ...]:
    found: list[Block | None] = [third_party(profile, situation, proposal)]
    if proposal.direction == "outbound":
        found.append(invalid_number(profile, proposal))
        found += standing_blocks(situation, proposal)
        if proposal.channel in profile.timed_channels:
            found.append(quiet_hours(profile, situation, now))
        found += [
            daily_cap(profile, situation, proposal, now),
            seven_day_cap(profile, situation, proposal, now),
            conversation_cooldown(profile, situation, proposal, now),
        ]
    return tuple(b for b in found if b is not None)


def disclosure_for(profile: RuleProfile, proposal: Proposal) -> Disclosure:
    """``location_only``: a named contact may be asked where the debtor is, never told of
    the debt."""
    if proposal.party in ("debtor", "guarantor"):
        return "full"
    return "location_only" if proposal.contact_name and profile.location_contacts else "none"


def decide(
    profile: RuleProfile, situation: Situation, proposal: Proposal, now: datetime
) -> Decision:
    """Every rule that blocks contact now, and the first moment none of them would."""
    blocks = blocks_at(profile, situation, proposal, now)
    next_at = now if not blocks else None
    moment, pending = now, blocks
    for _ in range(16):
        if not pending or any(b.until is None for b in pending):
            break
        moment = max(b.until for b in pending if b.until is not None)
        pending = blocks_at(profile, situation, proposal, moment)
        if not pending:
            next_at = moment
    return Decision(blocks, disclosure_for(profile, proposal), next_at if blocks else None)


def suggested_call_at(
    profile: RuleProfile,
    situation: Situation,
    proposal: Proposal,
    now: datetime,
    workday_starts: time,
    lead: timedelta = timedelta(minutes=15),
) -> datetime | None:
    """The next moment about ``lead`` before the debtor's working day starts at which the
    rules allow the call (later that day if a rule still blocks it then)."""
    tz = situation.timezone
    local_now = now.astimezone(tz)
    for offset in range(8):
        day = local_now.date() + timedelta(offset)
        at = (datetime.combine(day, workday_starts, tzinfo=tz) - lead).astimezone(UTC)
        if at < now:
            continue
        decision = decide(profile, situation, proposal, at)
        if decision.allowed:
            return at
        if decision.next_allowed_at is not None and _local_day(decision.next_allowed_at, tz) == day:
            return decision.next_allowed_at
    return None
