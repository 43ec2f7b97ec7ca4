"""The desk around the cases: letters, approvals, costs, field visits, imports, and who the
collectors and the agreements are (latest by their own time wins)."""

from __future__ import annotations

import json
from typing import Any

from services.reporting.readmodel.tables import ReadModel
from services.reporting.readmodel.writes import earliest, if_newer, write
from shared.bus.handlers import Batched, HandlerTable
from shared.events import catalog as ev


def desk_handlers(rm: ReadModel) -> HandlerTable:
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
            lambda new: if_newer(approvals, new, "decided_at", ["decision"]),
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
        lambda new: {"visited_at": earliest(visits, new, "visited_at")},
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
        lambda new: if_newer(rm.collectors, new, "changed_at", collector_columns),
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
        lambda new: if_newer(rm.agreements, new, "saved_at", agreement_columns),
    )

    return {
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
    }


def incident_handlers(rm: ReadModel) -> HandlerTable:
    """Incidents and their clocks (reported and resolved may come in either order)."""
    incidents = rm.incidents
    reported = ("kind", "case_id", "team_id", "branch_id", "raised_by", "supervisor_id",
                "occurred_at", "raised_at", "supervisor_told_at")  # fmt: skip
    on_reported = write(
        incidents,
        ["incident_id"],
        lambda e: (
            {"incident_id": e.payload.incident_id, "case_id": e.case_id}
            | {c: getattr(e.payload, c) for c in reported if c != "case_id"}
        ),
        lambda new: {c: getattr(new, c) for c in reported},
    )
    on_resolved = write(
        incidents,
        ["incident_id"],
        lambda e: {
            "incident_id": e.payload.incident_id,
            "kind": e.payload.kind,
            "occurred_at": e.payload.occurred_at,
            "resolved_at": e.payload.resolved_at,
        },
        lambda new: {"resolved_at": new.resolved_at},
    )
    return {ev.IncidentReported: [on_reported], ev.IncidentResolved: [on_resolved]}
