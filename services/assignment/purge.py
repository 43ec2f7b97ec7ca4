"""Assignment's part of the 5-year purge: the blacklist's entries go; free text that may
name or describe the debtor (visit plans and results, reasons, notes) is blanked; who
worked which case, when, and every amount stay for the figures."""

from __future__ import annotations

from services.assignment.models import PURGE_RUNS, AssignmentTable
from shared.purge.plan import Blank, ByCase, ByClient, ByParent, Delete, PurgePlan, bus_rules

VISIT_TEXT = (
    "purpose", "place", "people", "vehicle", "found", "result", "improper_conduct",
    "quiet_hours_reason",
)  # fmt: skip

PLAN = PurgePlan(
    metadata=AssignmentTable.metadata,
    runs=PURGE_RUNS,
    rules=(
        Delete("blacklist", ByClient()),
        Blank("case_balances", ByCase(), ("debtor_key",), id_column="case_id"),
        Blank("field_visits", ByCase(), VISIT_TEXT),
        Blank("approvals", ByCase(), ("reason", "next_steps", "decision_note")),
        Blank("assignment_history", ByCase(), ("reason",)),
        Blank("agency_placements", ByCase(), ("recall_reason",)),
        Blank("handover_cases", ByCase(), ("queued_reason",), id_column="case_id"),
        Blank("case_costs", ByCase(), ("note",)),
        Blank(
            "incident_entries",
            ByParent("incident_id", "incidents", "id", ByCase()),
            ("note",),
        ),
        Blank("incidents", ByCase(), ("what", "resolution")),
        Blank("cases", ByClient(), ("waiting_reason", "close_reason", "next_action")),
        *bus_rules(),
    ),
)
