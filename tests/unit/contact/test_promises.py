"""Instalments kept, partly kept or broken by partial, late and split payments, with a
fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.contact.promises.domain import (
    BROKEN,
    KEPT,
    OPEN,
    PARTLY_KEPT,
    InstalmentState,
    apply_payment,
    deadline_for,
    promise_state,
    settle_due,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = date(2026, 11, 26)
DEADLINE = deadline_for(DUE, 1, SHANGHAI)


def instalment(amount: str, seq: int = 1, deadline: datetime = DEADLINE) -> InstalmentState:
    return InstalmentState("p-1", seq, DUE, deadline, Decimal(amount))


def test_the_deadline_is_the_end_of_the_due_date_plus_grace_on_the_debtors_clock() -> None:
    assert deadline_for(DUE, 1, SHANGHAI) == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert deadline_for(DUE, 0, SHANGHAI) == datetime(2026, 11, 26, 16, 0, tzinfo=UTC)


def test_split_payments_keep_it_when_the_last_part_arrives() -> None:
    first = DEADLINE - timedelta(days=2)
    (after_one,) = apply_payment([instalment("500")], Decimal("200"), first)
    assert after_one.state == OPEN and after_one.paid_on_time == Decimal("200")
    (after_two,) = apply_payment([after_one], Decimal("300"), first + timedelta(hours=5))
    assert after_two.state == KEPT and after_two.decided_at == first + timedelta(hours=5)


def test_a_payment_in_the_last_second_of_grace_counts_and_at_the_deadline_does_not() -> None:
    (in_time,) = apply_payment([instalment("500")], Decimal("500"), DEADLINE - timedelta(seconds=1))
    assert in_time.state == KEPT
    (late,) = apply_payment([instalment("500")], Decimal("500"), DEADLINE)
    assert late.state == OPEN and late.paid_late == Decimal("500")
    (decided,) = settle_due([late], DEADLINE)
    assert decided.state == BROKEN and decided.missing == Decimal("500")


def test_a_partial_payment_is_partly_kept_once_the_deadline_passes() -> None:
    (paid,) = apply_payment([instalment("500")], Decimal("200"), DEADLINE - timedelta(days=1))
    assert settle_due([paid], DEADLINE - timedelta(seconds=1)) == [paid], "not yet due"
    (decided,) = settle_due([paid], DEADLINE)
    assert decided.state == PARTLY_KEPT and decided.missing == Decimal("300")
    assert decided.decided_at == DEADLINE


def test_late_money_fills_the_broken_instalment_before_the_next_one() -> None:
    second_deadline = DEADLINE + timedelta(days=30)
    plan = [instalment("500"), instalment("500", 2, second_deadline)]
    broken = settle_due(plan, DEADLINE)
    assert [i.state for i in broken] == [BROKEN, OPEN]
    after = apply_payment(broken, Decimal("700"), DEADLINE + timedelta(days=3))
    assert [(i.paid_on_time, i.paid_late, i.state) for i in after] == [
        (Decimal("0"), Decimal("500"), BROKEN),
        (Decimal("200"), Decimal("0"), OPEN),
    ]
    assert promise_state(i.state for i in after) == BROKEN


def test_paying_ahead_keeps_every_instalment_and_the_excess_is_not_theirs() -> None:
    plan = [instalment("500"), instalment("500", 2, DEADLINE + timedelta(days=30))]
    after = apply_payment(plan, Decimal("1200"), DEADLINE - timedelta(days=1))
    assert [i.state for i in after] == [KEPT, KEPT]
    assert sum(i.paid_on_time for i in after) == Decimal("1000")
    assert promise_state(i.state for i in after) == KEPT
    assert promise_state([KEPT, OPEN]) == OPEN
