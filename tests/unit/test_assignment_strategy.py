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
    LadderEntry,
    Situation,
    Step,
    Treatment,
    check_ladder,
    entry_step,
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


# A case received at 10:00 Shanghai (02:00 UTC) and assigned at once: first contact by
# 12:00 Shanghai, then the entry step that fits how far past due it arrived.
ASSIGNED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
FIRST_CONTACT_DUE = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
ARRIVED = ASSIGNED.date()


def arriving(days_past_due: int, **done: bool) -> tuple[date, LadderEntry]:
    since = date.fromordinal(ARRIVED.toordinal() - days_past_due)
    return since, LadderEntry(ARRIVED, FIRST_CONTACT_DUE, **done)


def at_1800(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


TOMORROW = date(2026, 11, 24)


@pytest.mark.parametrize("days_past_due", [0, 3, 10, 54, 400])
def test_a_newly_received_case_starts_with_a_first_contact_within_2_hours(
    days_past_due: int,
) -> None:
    since, entry = arriving(days_past_due)
    step = next_action(DEFAULT_LADDER, since, ARRIVED, entry=entry)
    assert (step.action, step.channel, step.due) == (
        Action.FIRST_CONTACT,
        Channel.PHONE,
        FIRST_CONTACT_DUE,
    )


@pytest.mark.parametrize(
    ("days_past_due", "action", "due"),
    [
        (0, Action.VISIT, at_1800(ARRIVED)),  # day 0's own step, due today
        (3, Action.PHONE, at_1800(ARRIVED)),  # day 3 is a phone day
        (10, Action.OVERDUE_NOTICE, at_1800(TOMORROW)),  # day 7 went by before arrival
        (54, Action.LEGAL, at_1800(TOMORROW)),  # day 30 went by: not overdue on arrival
        (400, Action.LEGAL, at_1800(TOMORROW)),
    ],
)
def test_after_the_first_contact_comes_the_step_that_fits_never_overdue(
    days_past_due: int, action: Action, due: datetime
) -> None:
    since, entry = arriving(days_past_due, first_contact_done=True)
    step = next_action(DEFAULT_LADDER, since, ARRIVED, done_today=True, entry=entry)
    assert (step.action, step.due) == (action, due)
    assert step.due > FIRST_CONTACT_DUE, "never due before the first contact"


@pytest.mark.parametrize(
    ("days_past_due", "action", "due_day"),
    [
        (0, Action.PHONE, 1),
        (3, Action.VISIT_AND_GUARANTOR, 4),
        (10, Action.LEGAL, 30),
    ],
)
def test_once_the_entry_step_is_worked_the_ladder_goes_on_from_today(
    days_past_due: int, action: Action, due_day: int
) -> None:
    since, entry = arriving(days_past_due, first_contact_done=True, entry_step_done=True)
    step = next_action(DEFAULT_LADDER, since, ARRIVED, done_today=True, entry=entry)
    assert (step.action, step.due) == (action, end_of_from(since, due_day))


def test_past_the_last_step_it_stays_due_but_not_before_the_first_contact() -> None:
    since, entry = arriving(54, first_contact_done=True, entry_step_done=True)
    step = next_action(DEFAULT_LADDER, since, ARRIVED, done_today=True, entry=entry)
    assert (step.action, step.due) == (Action.LEGAL, at_1800(TOMORROW))


def test_a_day_0_case_arriving_late_in_the_day_gets_its_visit_the_next_day() -> None:
    late = LadderEntry(ARRIVED, datetime(2026, 11, 23, 11, 0, tzinfo=UTC), True)
    step = next_action(DEFAULT_LADDER, ARRIVED, ARRIVED, entry=late)
    assert (step.action, step.due) == (Action.VISIT, at_1800(TOMORROW))


def test_the_entry_step_is_the_last_on_or_before_the_arrival_day() -> None:
    assert entry_step(DEFAULT_LADDER, 5).day == 4
    assert entry_step(DEFAULT_LADDER, 7).day == 7
    assert entry_step([Step(2, Action.PHONE, Channel.SMS)], 0).day == 2, "else the first"


def end_of_from(since: date, day: int) -> datetime:
    return at_1800(date.fromordinal(since.toordinal() + day))
