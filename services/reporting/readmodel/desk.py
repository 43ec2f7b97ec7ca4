"""The desk around the cases: letters, approvals, costs, field visits, imports, and who the
collectors and the agreements are (latest by their own time wins)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from services.reporting.readmodel.writes import earliest, if_newer, read_model_of, write
from shared.bus.handlers import Handled, batched

REQUEST_COLUMNS = ("kind", "reason", "next_steps", "requested_by", "requested_at")
COLLECTOR_COLUMNS = ["name", "role", "team_id", "branch_id", "status", "monthly_quota"]
AGREEMENT_COLUMNS = [
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
INCIDENT_COLUMNS = ("kind", "case_id", "team_id", "branch_id", "raised_by", "supervisor_id",
                    "occurred_at", "raised_at", "supervisor_told_at")  # fmt: skip


def _letter(e: Any, **values: Any) -> dict[str, Any]:
    return {"letter_id": e.payload.letter_id, "case_id": e.case_id, **values}


@batched
def on_letter_issued(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).letters,
        ["letter_id"],
        lambda e: _letter(e, kind=e.payload.kind, issued_at=e.payload.issued_at),
        lambda new: {"kind": new.kind, "issued_at": new.issued_at},
    )


@batched
def on_letter_dispatched(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).letters,
        ["letter_id"],
        lambda e: _letter(e, mailed_on=e.payload.mailed_on),
        lambda new: {"mailed_on": new.mailed_on},
    )


@batched
def on_letter_delivered(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).letters,
        ["letter_id"],
        lambda e: _letter(e, outcome=e.payload.outcome),
        lambda new: {"outcome": new.outcome},
    )


@batched
def on_approval_requested(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).approvals,
        ["approval_id"],
        lambda e: {
            "approval_id": e.payload.approval_id,
            "case_id": e.case_id,
            **{c: getattr(e.payload, c) for c in REQUEST_COLUMNS},
        },
        lambda new: {c: new[c] for c in ("case_id", *REQUEST_COLUMNS)},
    )


def _decide(items: Sequence[Handled], decision: str) -> None:
    approvals = read_model_of(items).approvals
    write(
        items,
        approvals,
        ["approval_id"],
        lambda e: {
            "approval_id": e.payload.approval_id,
            "case_id": e.case_id,
            "decision": decision,
            "decided_at": e.payload.decided_at,
        },
        lambda new: if_newer(approvals, new, "decided_at", ["decision"]),
    )


@batched
def on_approval_granted(items: Sequence[Handled]) -> None:
    _decide(items, "granted")


@batched
def on_approval_rejected(items: Sequence[Handled]) -> None:
    _decide(items, "rejected")


@batched
def on_cost_recorded(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).costs,
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


@batched
def on_visit_ordered(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).visits,
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


@batched
def on_visit_reported(items: Sequence[Handled]) -> None:
    visits = read_model_of(items).visits
    write(
        items,
        visits,
        ["visit_id"],
        lambda e: {
            "visit_id": e.payload.visit_id,
            "case_id": e.case_id,
            "visited_at": e.payload.visited_at,
        },
        lambda new: {"visited_at": earliest(visits, new, "visited_at")},
    )


@batched
def on_import_completed(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).imports,
        ["batch_id"],
        lambda e: {
            "batch_id": e.payload.batch_id,
            "client_id": e.payload.client_id,
            "rows_imported": e.payload.rows_imported,
            "received_at": e.payload.received_at,
            "completed_at": e.payload.completed_at,
        },
    )


@batched
def on_collector_updated(items: Sequence[Handled]) -> None:
    collectors = read_model_of(items).collectors
    write(
        items,
        collectors,
        ["collector_id"],
        lambda e: {
            "collector_id": e.payload.collector_id,
            "changed_at": e.payload.changed_at,
            **{c: getattr(e.payload, c) for c in COLLECTOR_COLUMNS},
        },
        lambda new: if_newer(collectors, new, "changed_at", COLLECTOR_COLUMNS),
    )


def _agreement(e: Any) -> dict[str, Any]:
    p = e.payload
    row = {c: getattr(p, c) for c in AGREEMENT_COLUMNS}
    row["bucket_rates"] = json.dumps({k: str(v) for k, v in p.bucket_rates.items()})
    return {"agreement_id": p.agreement_id, "saved_at": p.saved_at, **row}


@batched
def on_agreement_saved(items: Sequence[Handled]) -> None:
    agreements = read_model_of(items).agreements
    write(
        items,
        agreements,
        ["agreement_id"],
        _agreement,
        lambda new: if_newer(agreements, new, "saved_at", AGREEMENT_COLUMNS),
    )


@batched
def on_incident_reported(items: Sequence[Handled]) -> None:
    """Incidents and their clocks (reported and resolved may come in either order)."""
    write(
        items,
        read_model_of(items).incidents,
        ["incident_id"],
        lambda e: (
            {"incident_id": e.payload.incident_id, "case_id": e.case_id}
            | {c: getattr(e.payload, c) for c in INCIDENT_COLUMNS if c != "case_id"}
        ),
        lambda new: {c: getattr(new, c) for c in INCIDENT_COLUMNS},
    )


@batched
def on_incident_resolved(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).incidents,
        ["incident_id"],
        lambda e: {
            "incident_id": e.payload.incident_id,
            "kind": e.payload.kind,
            "occurred_at": e.payload.occurred_at,
            "resolved_at": e.payload.resolved_at,
        },
        lambda new: {"resolved_at": new.resolved_at},
    )
