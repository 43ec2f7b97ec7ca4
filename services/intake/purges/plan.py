"""Intake's part of the 5-year purge: the cases as the bank sent them lose every personal
field (name, ID, phones, addresses, employer, contacts, notes) but keep their amounts;
rejected rows' values, the bank's channel notifications and the raw files (both copies)
go. Intake carries its part out in the order's own transaction."""

from __future__ import annotations

from services.intake.case_files.archive import CASE_FILES
from services.intake.models import PURGE_RUNS, IntakeTable
from shared.purge.plan import Blank, ByClient, ByParent, Delete, Files, PurgePlan, bus_rules

PERSONAL = (
    "debtor_name", "id_type", "id_number", "phones", "home_address", "work_address",
    "employer", "contacts", "notes", "recall_reason",
)  # fmt: skip

PLAN = PurgePlan(
    metadata=IntakeTable.metadata,
    runs=PURGE_RUNS,
    rules=(
        Delete("batch_errors", ByParent("batch_id", "import_batches", "id", ByClient())),
        Delete(
            "emergency_deliveries",
            ByParent("notification_id", "emergency_notifications", "id", ByClient()),
        ),
        Delete("emergency_notifications", ByClient()),
        Blank("import_batches", ByClient(), ("filename", "bank_row_header", "failure")),
        Blank("payments", ByClient(), ("account_ref",)),
        Blank("cases", ByClient(), PERSONAL, to_id=("account_ref",)),
        *bus_rules(),
    ),
    files=(Files("case files", lambda s: [d / CASE_FILES for d in s.archive_dirs], "client"),),
)
