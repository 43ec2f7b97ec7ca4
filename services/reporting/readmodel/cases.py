"""Case facts: the case row, who held it when, payments, contact attempts, promises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case

from services.reporting.readmodel.writes import (
    earliest,
    holdings_of,
    if_newer,
    is_right_party_contact,
    read_model_of,
    write,
)
from shared.bus.handlers import Handled, batched
from shared.events import catalog as ev
from shared.pastdue import first_overdue_of

IMPORT_COLUMNS = (
    "client_id",
    "agreement_id",
    "account_ref",
    "product_type",
    "bucket",
    "region",
    "overdue_since",
    "owed_at_import",
    "received_at",
    "imported_at",
)


def _case_row(event: Any, **values: Any) -> dict[str, Any]:
    return {"case_id": event.case_id, "client_id": event.payload.client_id, **values}


def _imported(e: Any) -> dict[str, Any]:
    p = e.payload
    return _case_row(
        e,
        agreement_id=p.agreement_id,
        account_ref=p.account_ref,
        product_type=p.product_type,
        bucket=p.bucket,
        region=p.branch,
        overdue_since=first_overdue_of(p),
        owed_at_import=p.debt.total_owed,
        owed=p.debt.total_owed,
        owed_set_at=e.occurred_at,
        received_at=p.received_at,
        imported_at=e.occurred_at,
    )


@batched
def on_case_imported(items: Sequence[Handled]) -> None:
    cases = read_model_of(items).cases
    write(
        items,
        cases,
        ["case_id"],
        _imported,
        lambda new: {
            **{c: new[c] for c in IMPORT_COLUMNS},
            **if_newer(cases, new, "owed_set_at", ["owed"]),
        },
    )


@batched
def on_case_updated_owed(items: Sequence[Handled]) -> None:
    cases = read_model_of(items).cases
    write(
        items,
        cases,
        ["case_id"],
        lambda e: (
            _case_row(e, owed=e.payload.debt.total_owed, owed_set_at=e.occurred_at)
            if e.payload.debt is not None
            else None
        ),
        lambda new: if_newer(cases, new, "owed_set_at", ["owed"]),
    )


@batched
def on_case_updated_past_due(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).cases,
        ["case_id"],
        lambda e: (
            _case_row(e, overdue_since=first_overdue_of(e.payload.past_due))
            if e.payload.past_due is not None
            else None
        ),
        lambda new: {"overdue_since": new["overdue_since"]},
    )


@batched
def on_case_recalled(items: Sequence[Handled]) -> None:
    cases = read_model_of(items).cases
    write(
        items,
        cases,
        ["case_id"],
        lambda e: _case_row(e, recalled_at=e.occurred_at),
        lambda new: {"recalled_at": earliest(cases, new, "recalled_at")},
    )


@batched
def on_case_closed(items: Sequence[Handled]) -> None:
    cases = read_model_of(items).cases
    write(
        items,
        cases,
        ["case_id"],
        lambda e: _case_row(e, closed_at=e.payload.closed_at, closed_outcome=e.payload.outcome),
        lambda new: if_newer(cases, new, "closed_at", ["closed_outcome"]),
    )


def _holding(e: Any, since: Any, reason: str | None) -> dict[str, Any]:
    p = e.payload
    return {
        "event_id": str(e.event_id),
        "case_id": e.case_id,
        "collector_id": p.collector_id,
        "team_id": p.team_id,
        "branch_id": p.branch_id,
        "since": since,
        "reason": reason,
    }


@batched
def on_case_assigned_holding(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).holdings,
        ["event_id"],
        lambda e: _holding(e, e.payload.assigned_at, "assigned"),
    )


@batched
def on_case_reassigned_holding(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).holdings,
        ["event_id"],
        lambda e: _holding(e, e.payload.reassigned_at, e.payload.reason),
    )


@batched
def on_case_assigned_case(items: Sequence[Handled]) -> None:
    cases = read_model_of(items).cases
    write(
        items,
        cases,
        ["case_id"],
        lambda e: _case_row(
            e,
            first_assigned_at=e.payload.assigned_at,
            due_first_action_by=e.payload.due_first_action_by,
        ),
        lambda new: {
            "first_assigned_at": earliest(cases, new, "first_assigned_at"),
            "due_first_action_by": case(
                (
                    cases.c.first_assigned_at.is_(None)
                    | (new.first_assigned_at < cases.c.first_assigned_at),
                    new.due_first_action_by,
                ),
                else_=cases.c.due_first_action_by,
            ),
        },
    )


@batched
def attribute_new_payments(items: Sequence[Handled]) -> None:
    """These payments go to whoever held their case when each was paid (a holding that
    arrives later re-attributes them: :func:`reattribute_payments`)."""
    rm = read_model_of(items)
    payments = rm.payments
    items[0][0].session.execute(
        payments.update()
        .where(
            payments.c.case_id.in_(sorted({e.case_id for _, e in items if e.case_id})),
            payments.c.transaction_ref.in_(sorted({e.payload.transaction_ref for _, e in items})),
        )
        .values(collector_id=holdings_of(rm)(payments.c.case_id, payments.c.paid_at))
    )


@batched
def reattribute_payments(items: Sequence[Handled]) -> None:
    """A new holding changes the holder of its case's payments made since it began, and of
    no other: those payments go again to whoever held the case when each was paid, so
    payments and holdings in either order give the same answer."""
    rm = read_model_of(items)
    payments = rm.payments
    holdings = [(e.case_id, _since(e)) for _, e in items if e.case_id]
    if not holdings:
        return
    items[0][0].session.execute(
        payments.update()
        .where(
            payments.c.case_id.in_(sorted({case_id for case_id, _ in holdings})),
            payments.c.paid_at >= min(since for _, since in holdings),
        )
        .values(collector_id=holdings_of(rm)(payments.c.case_id, payments.c.paid_at))
    )


def _since(e: Any) -> Any:
    p = e.payload
    return p.assigned_at if isinstance(p, ev.CaseAssigned) else p.reassigned_at


@batched
def on_payment_received(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).payments,
        ["client_id", "transaction_ref"],
        lambda e: {
            "client_id": e.payload.client_id,
            "transaction_ref": e.payload.transaction_ref,
            "case_id": e.case_id,
            "amount": e.payload.amount,
            "paid_at": e.payload.paid_at,
            "collector_id": None,
        },
    )


def _attempt(e: Any) -> dict[str, Any]:
    p = e.payload
    return {
        "attempt_id": p.attempt_id,
        "case_id": e.case_id,
        "collector_id": p.collector_id,
        "channel": p.channel,
        "party": p.party,
        "outcome": p.outcome,
        "direction": p.direction,
        "right_party": is_right_party_contact(p.channel, p.party, p.outcome),
        "at": p.attempted_at,
    }


@batched
def on_contact_attempted(items: Sequence[Handled]) -> None:
    write(items, read_model_of(items).attempts, ["attempt_id"], _attempt)


@batched
def on_first_attempt(items: Sequence[Handled]) -> None:
    cases = read_model_of(items).cases
    write(
        items,
        cases,
        ["case_id"],
        lambda e: (
            {"case_id": e.case_id, "first_attempt_at": e.payload.attempted_at}
            if e.payload.direction == "outbound"
            else None
        ),
        lambda new: {"first_attempt_at": earliest(cases, new, "first_attempt_at")},
    )


@batched
def on_payment_promised(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).promises,
        ["promise_id"],
        lambda e: {
            "promise_id": e.payload.promise_id,
            "case_id": e.case_id,
            "collector_id": e.payload.collector_id,
            "amount": e.payload.amount,
            "due_on": e.payload.due_on,
            "promised_at": e.payload.promised_at,
        },
    )


def _outcome(e: Any, kept: bool, at: Any) -> dict[str, Any]:
    return {
        "promise_id": e.payload.promise_id,
        "instalment": e.payload.instalment,
        "case_id": e.case_id,
        "kept": kept,
        "at": at,
    }


@batched
def on_promise_kept(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).promise_outcomes,
        ["promise_id", "instalment"],
        lambda e: _outcome(e, True, e.payload.kept_at),
    )


@batched
def on_promise_broken(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).promise_outcomes,
        ["promise_id", "instalment"],
        lambda e: _outcome(e, False, e.payload.broken_at),
    )
