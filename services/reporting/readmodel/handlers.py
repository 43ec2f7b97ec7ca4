"""Events into the read models: one set-based statement per run of events, idempotent.

Every write is keyed on the event's own natural key (attempt id, payment reference, …) or
keeps the earliest/latest value by the event's own time, so applying an event twice, or
the topics' events in another interleaving (a rebuild), gives the same rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, case, select

from services.reporting.readmodel.tables import ReadModel
from services.reporting.readmodel.timeline import detail_of
from shared.bus.handlers import Batched, Handled, HandlerTable, batched, merge_tables
from shared.db import upsert
from shared.events import EVENT_TYPES
from shared.events import catalog as ev

# Outcomes that mean the collector did not speak with the party (contact's vocabulary).
NOT_REACHED = frozenset(
    {
        "third_party",
        "message_left",
        "no_answer",
        "busy",
        "voicemail",
        "wrong_number",
        "disconnected",
        "deceased",
        "other",
    }
)


def is_right_party_contact(channel: str, party: str, outcome: str) -> bool:
    """The debtor in person, by phone or visit, answered (a right-party contact, RPC)."""
    return channel in ("phone", "field_visit") and party == "debtor" and outcome not in NOT_REACHED


def _earliest(table: Table, new: Any, column: str) -> Any:
    old = table.c[column]
    return case((old.is_(None), new[column]), (new[column] < old, new[column]), else_=old)


def _latest(table: Table, new: Any, column: str) -> Any:
    old = table.c[column]
    return case((old.is_(None), new[column]), (new[column] > old, new[column]), else_=old)


def _if_newer(table: Table, new: Any, stamp: str, columns: Sequence[str]) -> dict[str, Any]:
    newer = table.c[stamp].is_(None) | (new[stamp] >= table.c[stamp])
    return {c: case((newer, new[c]), else_=table.c[c]) for c in [*columns, stamp]}


def _rows(items: Sequence[Handled], row: Callable[[Any], dict[str, Any] | None]) -> list[Any]:
    return [r for _, event in items if (r := row(event)) is not None]


def holdings_of(rm: ReadModel) -> Callable[[Any, Any], Any]:
    """``holder(case_id, at)``: the collector holding the case at ``at`` — the latest
    holding that began no later (a correlated subquery over ``rm``'s holdings)."""

    def holder(case_id: Any, at: Any) -> Any:
        h = rm.holdings.alias("holder")
        return (
            select(h.c.collector_id)
            .where(h.c.case_id == case_id, h.c.since <= at)
            .order_by(h.c.since.desc(), h.c.event_id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return holder


def handlers_for(rm: ReadModel) -> HandlerTable:
    """The handler table that keeps ``rm`` (the live set, or a rebuild's)."""
    cases = rm.cases

    def write(
        table: Table,
        key: list[str],
        row: Callable[[Any], dict[str, Any] | None],
        changes: Callable[[Any], dict[str, Any]] | None = None,
    ) -> Batched:
        @batched
        def handle(items: Sequence[Handled]) -> None:
            upsert(items[0][0].session, table, _rows(items, row), key=key, changes=changes)

        return handle

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
            overdue_since=p.overdue_since,
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
            **_if_newer(cases, new, "owed_set_at", ["owed"]),
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
        lambda new: _if_newer(cases, new, "owed_set_at", ["owed"]),
    )
    on_recalled = write(
        cases,
        ["case_id"],
        lambda e: case_row(e, recalled_at=e.occurred_at),
        lambda new: {"recalled_at": _earliest(cases, new, "recalled_at")},
    )
    on_closed = write(
        cases,
        ["case_id"],
        lambda e: case_row(e, closed_at=e.payload.closed_at, closed_outcome=e.payload.outcome),
        lambda new: _if_newer(cases, new, "closed_at", ["closed_outcome"]),
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
            "first_assigned_at": _earliest(cases, new, "first_assigned_at"),
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
        lambda new: {"first_attempt_at": _earliest(cases, new, "first_attempt_at")},
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
    letters = rm.letters

    def letter(e: Any, **values: Any) -> dict[str, Any]:
        return {"letter_id": e.payload.letter_id, "case_id": e.case_id, **values}

    on_letter_issued = write(
        letters,
        ["letter_id"],
        lambda e: letter(e, kind=e.payload.kind, issued_at=e.payload.issued_at),
        lambda new: {"kind": new.kind, "issued_at": new.issued_at},
    )
    on_letter_mailed = write(
        letters,
        ["letter_id"],
        lambda e: letter(e, mailed_on=e.payload.mailed_on),
        lambda new: {"mailed_on": new.mailed_on},
    )
    on_letter_delivered = write(
        letters,
        ["letter_id"],
        lambda e: letter(e, outcome=e.payload.outcome),
        lambda new: {"outcome": new.outcome},
    )
    approvals = rm.approvals
    request_columns = ("kind", "reason", "next_steps", "requested_by", "requested_at")
    on_approval_requested = write(
        approvals,
        ["approval_id"],
        lambda e: {
            "approval_id": e.payload.approval_id,
            "case_id": e.case_id,
            **{c: getattr(e.payload, c) for c in request_columns},
        },
        lambda new: {c: new[c] for c in ("case_id", *request_columns)},
    )

    def decided(decision: str) -> Batched:
        return write(
            approvals,
            ["approval_id"],
            lambda e: {
                "approval_id": e.payload.approval_id,
                "case_id": e.case_id,
                "decision": decision,
                "decided_at": e.payload.decided_at,
            },
            lambda new: _if_newer(approvals, new, "decided_at", ["decision"]),
        )

    on_cost = write(
        rm.costs,
        ["cost_id"],
        lambda e: {
            "cost_id": e.payload.cost_id,
            "case_id": e.case_id,
            "client_id": e.payload.client_id,
            "kind": e.payload.kind,
            "amount": e.payload.amount,
            "incurred_on": e.payload.incurred_on,
        },
    )
    visits = rm.visits
    on_visit_ordered = write(
        visits,
        ["visit_id"],
        lambda e: {
            "visit_id": e.payload.visit_id,
            "case_id": e.case_id,
            "field_collector_id": e.payload.field_collector_id,
            "ordered_at": e.occurred_at,
            "due_by": e.payload.due_by,
        },
        lambda new: {c: new[c] for c in ("field_collector_id", "ordered_at", "due_by")},
    )
    on_visit_reported = write(
        visits,
        ["visit_id"],
        lambda e: {
            "visit_id": e.payload.visit_id,
            "case_id": e.case_id,
            "visited_at": e.payload.visited_at,
        },
        lambda new: {"visited_at": _earliest(visits, new, "visited_at")},
    )
    on_import_completed = write(
        rm.imports,
        ["batch_id"],
        lambda e: {
            "batch_id": e.payload.batch_id,
            "client_id": e.payload.client_id,
            "rows_imported": e.payload.rows_imported,
            "received_at": e.payload.received_at,
            "completed_at": e.payload.completed_at,
        },
    )
    collector_columns = ["name", "role", "team_id", "branch_id", "status", "monthly_quota"]
    on_collector = write(
        rm.collectors,
        ["collector_id"],
        lambda e: {
            "collector_id": e.payload.collector_id,
            "changed_at": e.payload.changed_at,
            **{c: getattr(e.payload, c) for c in collector_columns},
        },
        lambda new: _if_newer(rm.collectors, new, "changed_at", collector_columns),
    )
    agreement_columns = [
        "client_id",
        "number",
        "status",
        "starts_on",
        "ends_on",
        "commission_rate",
        "bucket_rates",
        "reconciliation_day",
        "recovery_target",
    ]

    def agreement(e: Any) -> dict[str, Any]:
        p = e.payload
        row = {c: getattr(p, c) for c in agreement_columns}
        row["bucket_rates"] = json.dumps({k: str(v) for k, v in p.bucket_rates.items()})
        return {"agreement_id": p.agreement_id, "saved_at": p.saved_at, **row}

    on_agreement = write(
        rm.agreements,
        ["agreement_id"],
        agreement,
        lambda new: _if_newer(rm.agreements, new, "saved_at", agreement_columns),
    )
    on_any_case_event = write(
        rm.timeline,
        ["event_id"],
        lambda e: (
            {
                "event_id": str(e.event_id),
                "case_id": e.case_id,
                "event_type": e.type,
                "at": e.occurred_at,
                "detail": detail_of(e),
            }
            if e.case_id
            else None
        ),
    )
    tally_table = rm.event_tally

    @batched
    def tally(items: Sequence[Handled]) -> None:
        counts = Counter(event.type for _, event in items)
        last_seen: dict[str, Any] = {}
        for _, event in items:
            last_seen[event.type] = max(
                event.occurred_at, last_seen.get(event.type, event.occurred_at)
            )
        rows = [
            {"event_type": name, "count": count, "last_seen_at": last_seen[name]}
            for name, count in counts.items()
        ]
        upsert(
            items[0][0].session,
            tally_table,
            rows,
            key=["event_type"],
            changes=lambda new: {
                "count": tally_table.c.count + new["count"],
                "last_seen_at": _latest(tally_table, new, "last_seen_at"),
            },
        )

    return merge_tables(
        {
            ev.CaseImported: [on_imported],
            ev.CaseUpdated: [on_updated],
            ev.CaseRecalled: [on_recalled],
            ev.CaseClosed: [on_closed],
            ev.CaseAssigned: [on_assigned_holding, on_assigned_case, attribute_payments],
            ev.CaseReassigned: [on_reassigned_holding, attribute_payments],
            ev.PaymentReceived: [on_payment, attribute_payments],
            ev.ContactAttempted: [on_attempt, on_first_attempt],
            ev.PaymentPromised: [on_promise],
            ev.PromiseKept: [on_kept],
            ev.PromiseBroken: [on_broken],
            ev.LetterIssued: [on_letter_issued],
            ev.LetterDispatched: [on_letter_mailed],
            ev.LetterDelivered: [on_letter_delivered],
            ev.ApprovalRequested: [on_approval_requested],
            ev.ApprovalGranted: [decided("granted")],
            ev.ApprovalRejected: [decided("rejected")],
            ev.CaseCostRecorded: [on_cost],
            ev.FieldVisitOrdered: [on_visit_ordered],
            ev.FieldVisitReported: [on_visit_reported],
            ev.ImportCompleted: [on_import_completed],
            ev.CollectorUpdated: [on_collector],
            ev.AgreementSaved: [on_agreement],
        },
        {
            payload_type: [tally, on_any_case_event]
            for payload_type in EVENT_TYPES.values()
            if payload_type.producer != "reporting"
        },
    )
