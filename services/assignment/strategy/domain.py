"""Pure collection strategy: the escalation ladder gives each case its next action and due
time; the debtor's type picks the channel; the debtor's situation picks the treatment.

The ladder counts calendar days past due (the seeds' "day 4", "day 7"), not working days:
arrears run on calendar days. A step is due by the end of its day (18:00 Shanghai)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from shared.clock import SHANGHAI

DAY_ENDS_AT = time(18, 0)


class Action(StrEnum):
    VISIT = "visit"
    PHONE = "phone"
    VISIT_AND_GUARANTOR = "visit_and_guarantor"
    OVERDUE_NOTICE = "overdue_notice"
    LEGAL = "legal"


class Channel(StrEnum):
    SMS = "sms"
    PHONE = "phone"
    LETTER = "letter"
    FAX = "fax"
    FIELD_VISIT = "field_visit"
    OUTSOURCING = "outsourcing"
    JUDICIAL = "judicial"


class DebtorType(StrEnum):
    FIRST_TIME = "first_time"
    HABITUAL = "habitual"
    BAD_FAITH = "bad_faith"


class Situation(StrEnum):
    GOOD_FINANCES = "good_finances"
    POOR_WITH_PROSPECTS = "poor_with_prospects"
    POOR_AND_FAILING = "poor_and_failing"
    MALICIOUS = "malicious"


class Treatment(StrEnum):
    PRESS_FOR_CASH = "press_for_cash"
    SECURED_ARRANGEMENT = "secured_arrangement"
    SETTLEMENT_IN_KIND = "settlement_in_kind"
    LITIGATION = "litigation"


@dataclass(frozen=True)
class Step:
    day: int
    action: Action
    channel: Channel


DEFAULT_LADDER: tuple[Step, ...] = (
    Step(0, Action.VISIT, Channel.FIELD_VISIT),
    Step(1, Action.PHONE, Channel.PHONE),
    Step(2, Action.PHONE, Channel.PHONE),
    Step(3, Action.PHONE, Channel.PHONE),
    Step(4, Action.VISIT_AND_GUARANTOR, Channel.FIELD_VISIT),
    Step(7, Action.OVERDUE_NOTICE, Channel.LETTER),
    Step(30, Action.LEGAL, Channel.JUDICIAL),
)

CHANNELS_BY_DEBTOR: dict[DebtorType, tuple[Channel, ...]] = {
    DebtorType.FIRST_TIME: (Channel.SMS, Channel.PHONE, Channel.LETTER),
    DebtorType.HABITUAL: (Channel.FAX, Channel.FIELD_VISIT, Channel.OUTSOURCING, Channel.LETTER),
    DebtorType.BAD_FAITH: (Channel.JUDICIAL,),
}

TREATMENT_BY_SITUATION: dict[Situation, Treatment] = {
    Situation.GOOD_FINANCES: Treatment.PRESS_FOR_CASH,
    Situation.POOR_WITH_PROSPECTS: Treatment.SECURED_ARRANGEMENT,
    Situation.POOR_AND_FAILING: Treatment.SETTLEMENT_IN_KIND,
    Situation.MALICIOUS: Treatment.LITIGATION,
}

# The approval a treatment needs before it is worked (kinds of the approvals module).
APPROVAL_FOR_TREATMENT: dict[Treatment, str | None] = {
    Treatment.PRESS_FOR_CASH: None,
    Treatment.SECURED_ARRANGEMENT: "secured_arrangement",
    Treatment.SETTLEMENT_IN_KIND: "settlement_in_kind",
    Treatment.LITIGATION: "legal_action",
}


@dataclass(frozen=True)
class NextAction:
    action: Action
    channel: Channel
    due: datetime
    day: int = 0


def check_ladder(steps: Sequence[Step]) -> None:
    """A ladder has at least one step, on distinct days counted from 0."""
    if not steps:
        raise ValueError("a ladder needs at least one step")
    days = [s.day for s in steps]
    if min(days) < 0:
        raise ValueError("steps count days past due from 0")
    if len(set(days)) != len(days):
        raise ValueError("two steps on the same day")


def due_at(since: date, day: int) -> datetime:
    local = datetime.combine(since + timedelta(days=day), DAY_ENDS_AT, tzinfo=SHANGHAI)
    return local.astimezone(UTC)


def channel_for(step: Step, debtor: DebtorType | None) -> Channel:
    """The step's channel when the debtor's type allows it, else the type's first choice."""
    if debtor is None:
        return step.channel
    allowed = CHANNELS_BY_DEBTOR[debtor]
    return step.channel if step.channel in allowed else allowed[0]


def next_action(
    ladder: Sequence[Step],
    since: date,
    today: date,
    *,
    done_today: bool = False,
    debtor: DebtorType | None = None,
) -> NextAction:
    """The first step not yet behind the case: today's, unless it was already worked
    (``done_today``), else the next one; past the last step, the last step stays due. A
    debtor acting in bad faith goes straight to the last (legal) step."""
    steps = sorted(ladder, key=lambda s: s.day)
    from_day = (today - since).days + (1 if done_today else 0)
    if debtor is DebtorType.BAD_FAITH:
        step, day = steps[-1], max((today - since).days, 0)
    else:
        step = next((s for s in steps if s.day >= from_day), steps[-1])
        day = step.day
    return NextAction(step.action, channel_for(step, debtor), due_at(since, day), day)


def treatment_for(situation: Situation) -> Treatment:
    return TREATMENT_BY_SITUATION[situation]
