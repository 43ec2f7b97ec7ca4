"""Promises followed from the client's real PaymentReceived events and the due check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from services.contact.promises.periodic import run_due_check
from tests.conftest import FIXED_NOW
from tests.events_kit import payment_received

from .conftest import Desk

DEADLINE = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 26 Nov + 1 day's grace, Shanghai


def promise(desk: Desk, **body: Any) -> dict[str, Any]:
    made = desk.post("/promises", body or {"amount": "500.00", "due_on": "2026-11-26"})
    assert made.status_code == 201, made.text
    return made.json()


def states(desk: Desk) -> list[tuple[str, list[str]]]:
    return [
        (p["state"], [i["state"] for i in p["instalments"]]) for p in desk.get("/promises").json()
    ]


def test_a_promise_is_announced_with_its_deadline(desk: Desk) -> None:
    made = promise(desk)
    assert made["instalments"][0]["deadline"] == "2026-11-27T16:00:00Z"
    (event,) = desk.events("PaymentPromised")
    assert event.amount == Decimal("500.00") and str(event.due_on) == "2026-11-26"


def test_split_payments_keep_the_promise(desk: Desk) -> None:
    made = promise(desk)
    desk.dispatch(payment_received(desk.case_id, "200.00", FIXED_NOW + timedelta(days=1)))
    assert states(desk) == [("open", ["open"])]
    desk.dispatch(payment_received(desk.case_id, "300.00", FIXED_NOW + timedelta(days=2)))
    assert states(desk) == [("kept", ["kept"])]
    (kept,) = desk.events("PromiseKept")
    assert kept.promise_id == made["id"] and kept.kept_at == FIXED_NOW + timedelta(days=2)


def test_a_partial_payment_breaks_it_at_the_due_check_with_what_is_missing(desk: Desk) -> None:
    promise(desk)
    desk.dispatch(payment_received(desk.case_id, "200.00", FIXED_NOW + timedelta(days=1)))
    desk.clock.now = DEADLINE - timedelta(seconds=1)
    assert run_due_check(desk.runtime) == 0
    desk.clock.now = DEADLINE
    assert run_due_check(desk.runtime) == 1
    assert states(desk) == [("broken", ["partly_kept"])]
    (broken,) = desk.events("PromiseBroken")
    assert broken.amount_missing == Decimal("300.00") and broken.amount_paid == Decimal("200.00")
    assert broken.broken_at == DEADLINE
    assert run_due_check(desk.runtime) == 0, "decided once"


def test_a_late_payment_finds_the_promise_broken_on_arrival(desk: Desk) -> None:
    promise(desk)
    desk.clock.now = DEADLINE + timedelta(days=1)
    desk.dispatch(payment_received(desk.case_id, "500.00", DEADLINE + timedelta(hours=2)))
    assert states(desk) == [("broken", ["broken"])]
    instalment = desk.get("/promises").json()[0]["instalments"][0]
    assert instalment["paid_late"] == "500.00" and instalment["paid_on_time"] == "0.00"
    assert [e.amount_missing for e in desk.events("PromiseBroken")] == [Decimal("500.00")]


def test_instalments_are_decided_one_by_one(desk: Desk) -> None:
    made = promise(
        desk,
        instalments=[
            {"due_on": "2026-11-26", "amount": "300.00"},
            {"due_on": "2026-12-26", "amount": "300.00"},
        ],
    )
    (announced,) = desk.events("PaymentPromised")
    assert announced.amount == Decimal("600.00") and len(announced.instalments) == 2
    desk.dispatch(payment_received(desk.case_id, "300.00", FIXED_NOW + timedelta(days=1)))
    desk.clock.now = datetime(2026, 12, 28, tzinfo=UTC)
    run_due_check(desk.runtime)
    assert states(desk) == [("broken", ["kept", "broken"])]
    assert [e.instalment for e in desk.events("PromiseKept")] == [1]
    assert [(e.promise_id, e.instalment) for e in desk.events("PromiseBroken")] == [(made["id"], 2)]


def test_the_same_transaction_reported_twice_counts_once(desk: Desk) -> None:
    promise(desk)
    at = FIXED_NOW + timedelta(days=1)
    desk.dispatch(payment_received(desk.case_id, "300.00", at, ref="TX-1"))
    desk.dispatch(payment_received(desk.case_id, "300.00", at, ref="TX-1"))
    assert desk.get("/promises").json()[0]["instalments"][0]["paid_on_time"] == "300.00"


def test_a_payment_before_the_promise_does_not_count_for_it(desk: Desk) -> None:
    desk.dispatch(payment_received(desk.case_id, "500.00", FIXED_NOW - timedelta(days=1)))
    promise(desk)
    desk.clock.now = DEADLINE
    run_due_check(desk.runtime)
    assert states(desk) == [("broken", ["broken"])]


def test_a_promise_must_fall_due_today_or_later_in_one_form(desk: Desk) -> None:
    assert desk.post("/promises", {"amount": "5", "due_on": "2026-11-22"}).status_code == 422
    assert desk.post("/promises", {"amount": "5"}).status_code == 422
    both = {
        "amount": "5",
        "due_on": "2026-11-30",
        "instalments": [{"due_on": "2026-11-30", "amount": "5"}],
    }
    assert desk.post("/promises", both).status_code == 422
    unordered = {
        "instalments": [
            {"due_on": "2026-12-30", "amount": "5"},
            {"due_on": "2026-11-30", "amount": "5"},
        ]
    }
    assert desk.post("/promises", unordered).status_code == 422


def test_a_payment_made_a_minute_before_the_promise_counts_toward_it(desk: Desk) -> None:
    desk.dispatch(payment_received(desk.case_id, "500.00", FIXED_NOW - timedelta(minutes=1)))
    made = promise(desk)
    assert made["state"] == "kept" and made["instalments"][0]["paid_on_time"] == "500.00"
    assert made["counts_payments_from"] == "2026-11-22T16:00:00Z", "midnight in Shanghai"
    (kept,) = desk.events("PromiseKept")
    assert kept.promise_id == made["id"]


def test_a_payment_of_the_day_reported_after_the_promise_counts_toward_it(desk: Desk) -> None:
    promise(desk)
    desk.dispatch(payment_received(desk.case_id, "500.00", FIXED_NOW - timedelta(hours=3)))
    assert states(desk) == [("kept", ["kept"])]


def test_a_payment_before_the_day_of_the_promise_does_not_count(desk: Desk) -> None:
    desk.dispatch(payment_received(desk.case_id, "500.00", FIXED_NOW - timedelta(hours=11)))
    made = promise(desk)
    assert made["state"] == "open" and Decimal(made["instalments"][0]["paid_on_time"]) == 0
    desk.dispatch(payment_received(desk.case_id, "100.00", FIXED_NOW - timedelta(hours=10)))
    assert states(desk) == [("open", ["open"])], "paid 23:00 the day before, reported late"


def test_a_payment_counts_once_across_the_promises_of_its_day(desk: Desk) -> None:
    desk.dispatch(payment_received(desk.case_id, "300.00", FIXED_NOW - timedelta(minutes=5)))
    first = promise(desk, amount="200.00", due_on="2026-11-26")
    assert first["state"] == "kept"
    second = promise(desk, amount="200.00", due_on="2026-11-27")
    assert second["instalments"][0]["paid_on_time"] == "100.00", "only what the first left"
    assert second["state"] == "open"
