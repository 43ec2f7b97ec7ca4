"""The escalation ladder, channel by debtor type and treatment by situation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.assignment.strategy.domain import (
    APPROVAL_FOR_TREATMENT,
    DEFAULT_LADDER,
    Action,
    Channel,
    DebtorType,
    Situation,
    Step,
    Treatment,
    check_ladder,
    next_action,
    treatment_for,
)

SINCE = date(2026, 11, 23)


def on(day: int) -> date:
    return date.fromordinal(SINCE.toordinal() + day)


def end_of(day: int) -> datetime:
    """18:00 in Shanghai is 10:00 UTC."""
    d = on(day)
    return datetime(d.year, d.month, d.day, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("today", "done", "action", "channel", "due_day"),
    [
        (0, False, Action.VISIT, Channel.FIELD_VISIT, 0),
        (0, True, Action.PHONE, Channel.PHONE, 1),
        (2, False, Action.PHONE, Channel.PHONE, 2),
        (3, True, Action.VISIT_AND_GUARANTOR, Channel.FIELD_VISIT, 4),
        (5, False, Action.OVERDUE_NOTICE, Channel.LETTER, 7),
        (8, False, Action.LEGAL, Channel.JUDICIAL, 30),
        (45, True, Action.LEGAL, Channel.JUDICIAL, 30),
    ],
)
def test_the_default_ladder_gives_the_next_step_and_its_due_time(
    today: int, done: bool, action: Action, channel: Channel, due_day: int
) -> None:
    step = next_action(DEFAULT_LADDER, SINCE, on(today), done_today=done)
    assert (step.action, step.channel, step.due, step.day) == (
        action,
        channel,
        end_of(due_day),
        due_day,
    )


def test_a_products_ladder_is_followed_in_day_order_whatever_order_it_was_given() -> None:
    ladder = [Step(10, Action.LEGAL, Channel.JUDICIAL), Step(2, Action.PHONE, Channel.SMS)]
    assert next_action(ladder, SINCE, on(0)).action is Action.PHONE
    assert next_action(ladder, SINCE, on(3)).action is Action.LEGAL


def test_the_debtors_type_picks_the_channel() -> None:
    phone_day, visit_day = on(1), on(0)
    first = DebtorType.FIRST_TIME
    assert next_action(DEFAULT_LADDER, SINCE, phone_day, debtor=first).channel is Channel.PHONE
    assert next_action(DEFAULT_LADDER, SINCE, visit_day, debtor=first).channel is Channel.SMS
    habitual = DebtorType.HABITUAL
    assert next_action(DEFAULT_LADDER, SINCE, phone_day, debtor=habitual).channel is Channel.FAX
    assert (
        next_action(DEFAULT_LADDER, SINCE, visit_day, debtor=habitual).channel
        is Channel.FIELD_VISIT
    )


def test_a_debtor_in_bad_faith_goes_straight_to_legal_due_today() -> None:
    step = next_action(DEFAULT_LADDER, SINCE, on(2), debtor=DebtorType.BAD_FAITH)
    assert (step.action, step.channel, step.due) == (Action.LEGAL, Channel.JUDICIAL, end_of(2))


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "at least one step"),
        ([Step(-1, Action.PHONE, Channel.PHONE)], "from 0"),
        (
            [Step(1, Action.PHONE, Channel.PHONE), Step(1, Action.VISIT, Channel.FIELD_VISIT)],
            "same day",
        ),
    ],
)
def test_a_broken_ladder_is_refused(steps: list[Step], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_ladder(steps)


def test_the_situation_chooses_the_treatment_and_the_approval_it_needs() -> None:
    chosen = {s: treatment_for(s) for s in Situation}
    assert chosen == {
        Situation.GOOD_FINANCES: Treatment.PRESS_FOR_CASH,
        Situation.POOR_WITH_PROSPECTS: Treatment.SECURED_ARRANGEMENT,
        Situation.POOR_AND_FAILING: Treatment.SETTLEMENT_IN_KIND,
        Situation.MALICIOUS: Treatment.LITIGATION,
    }
    assert APPROVAL_FOR_TREATMENT[Treatment.PRESS_FOR_CASH] is None
    assert APPROVAL_FOR_TREATMENT[Treatment.LITIGATION] == "legal_action"
