"""Case facts: the case row, who held it when, payments, contact attempts, promises."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import case

from services.reporting.readmodel.tables import ReadModel
from services.reporting.readmodel.writes import (
    earliest,
    holdings_of,
    if_newer,
    is_right_party_contact,
    write,
)
from shared.bus.handlers import Handled, HandlerTable, batched
from shared.events import catalog as ev
from shared.pastdue import first_overdue_of


def case_handlers(rm: ReadModel) -> HandlerTable:
    cases = rm.cases

    def case_row(event: Any, **values: Any) -> dict[str, Any]:
        return {"case_id": event.case_id, "client_id": event.payload.client_id, **values}

    def imported(e: Any) -> dict[str, Any]:
        p = e.payload
        return case_row(
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

    import_columns = (
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
    on_imported = write(
        cases,
        ["case_id"],
        imported,
        lambda new: {
            **{c: new[c] for c in import_columns},
            **if_newer(cases, new, "owed_set_at", ["owed"]),
        },
    )
    on_updated = write(
        cases,
        ["case_id"],
        lambda e: (
            case_row(e, owed=e.payload.debt.total_owed, owed_set_at=e.occurred_at)
            if e.payload.debt is not None
            else None
        ),
        lambda new: if_newer(cases, new, "owed_set_at", ["owed"]),
    )
    on_updated_past_due = write(
        cases,
        ["case_id"],
        lambda e: (
            case_row(e, overdue_since=first_overdue_of(e.payload.past_due))
            if e.payload.past_due is not None
            else None
        ),
        lambda new: {"overdue_since": new["overdue_since"]},
    )
    on_recalled = write(
        cases,
        ["case_id"],
        lambda e: case_row(e, recalled_at=e.occurred_at),
        lambda new: {"recalled_at": earliest(cases, new, "recalled_at")},
    )
    on_closed = write(
        cases,
        ["case_id"],
        lambda e: case_row(e, closed_at=e.payload.closed_at, closed_outcome=e.payload.outcome),
        lambda new: if_newer(cases, new, "closed_at", ["closed_outcome"]),
    )

    def holding(e: Any, since: Any, reason: str | None) -> dict[str, Any]:
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

    on_assigned_holding = write(
        rm.holdings, ["event_id"], lambda e: holding(e, e.payload.assigned_at, "assigned")
    )
    on_reassigned_holding = write(
        rm.holdings,
        ["event_id"],
        lambda e: holding(e, e.payload.reassigned_at, e.payload.reason),
    )
    on_assigned_case = write(
        cases,
        ["case_id"],
        lambda e: case_row(
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
    holder = holdings_of(rm)

    @batched
    def attribute_payments(items: Sequence[Handled]) -> None:
        """Each payment of these cases goes to whoever held the case when it was paid;
        run when payments or holdings arrive, so either order gives the same answer."""
        cases_in_batch = sorted({e.case_id for _, e in items if e.case_id})
        payments = rm.payments
        items[0][0].session.execute(
            payments.update()
            .where(payments.c.case_id.in_(cases_in_batch))
            .values(collector_id=holder(payments.c.case_id, payments.c.paid_at))
        )

    on_payment = write(
        rm.payments,
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

    def attempt(e: Any) -> dict[str, Any]:
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

    on_attempt = write(rm.attempts, ["attempt_id"], attempt)

    on_first_attempt = write(
        cases,
        ["case_id"],
        lambda e: (
            {"case_id": e.case_id, "first_attempt_at": e.payload.attempted_at}
            if e.payload.direction == "outbound"
            else None
        ),
        lambda new: {"first_attempt_at": earliest(cases, new, "first_attempt_at")},
    )
    on_promise = write(
        rm.promises,
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

    def outcome(kept: bool, at: str) -> Callable[[Any], dict[str, Any]]:
        return lambda e: {
            "promise_id": e.payload.promise_id,
            "instalment": e.payload.instalment,
            "case_id": e.case_id,
            "kept": kept,
            "at": getattr(e.payload, at),
        }

    on_kept = write(rm.promise_outcomes, ["promise_id", "instalment"], outcome(True, "kept_at"))
    on_broken = write(
        rm.promise_outcomes, ["promise_id", "instalment"], outcome(False, "broken_at")
    )

    return {
        ev.CaseImported: [on_imported],
        ev.CaseUpdated: [on_updated, on_updated_past_due],
        ev.CaseRecalled: [on_recalled],
        ev.CaseClosed: [on_closed],
        ev.CaseAssigned: [on_assigned_holding, on_assigned_case, attribute_payments],
        ev.CaseReassigned: [on_reassigned_holding, attribute_payments],
        ev.PaymentReceived: [on_payment, attribute_payments],
        ev.ContactAttempted: [on_attempt, on_first_attempt],
        ev.PaymentPromised: [on_promise],
        ev.PromiseKept: [on_kept],
        ev.PromiseBroken: [on_broken],
    }
