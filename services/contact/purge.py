"""Contact's part of the 5-year purge: contact details, barred numbers and recordings
(every copy: both stores and the custodians' backup) go; attempts'
notes and conversations, disputes' and visits' text, claims' payers are blanked; the
attempts, promises and payments themselves stay as figures."""

from __future__ import annotations

from pathlib import Path

from services.contact.models import PURGE_RUNS, ContactTable
from services.contact.recordings.service import KIND
from services.contact.settings import ContactSettings
from shared.purge.plan import Blank, ByCase, ByClient, Delete, Files, PurgePlan, bus_rules

ATTEMPT_TEXT = (
    "party_name", "used", "notes", "excuse", "arrears_reason", "next_action",
    "late_reason", "override_reason", "late_entry_reason", "debtor_key", "recording_sha256",
)  # fmt: skip


def recording_copies(settings: ContactSettings) -> list[Path]:
    stores = [root / KIND for root in settings.recording_dirs]
    return [*stores, settings.recording_backup_target]


PLAN = PurgePlan(
    metadata=ContactTable.metadata,
    runs=PURGE_RUNS,
    rules=(
        Delete("contact_details", ByCase()),
        Delete("barred_numbers", ByCase()),
        Delete("recordings_backed_up", ByCase()),
        Delete("recording_backup_items", ByCase()),
        Delete("recordings", ByCase()),
        Blank("contact_attempts", ByCase(), ATTEMPT_TEXT),
        Blank("contact_decisions", ByCase(), ("override_reason",)),
        Blank("disputes", ByCase(), ("reason", "evidence", "resolution", "resolution_evidence")),
        Blank("field_visits", ByCase(), ("place", "people_met", "found", "recording_sha256")),
        Blank("follow_ups", ByCase(), ("detail",)),
        Blank("payment_claims", ByCase(), ("bank", "payee", "slip_ref")),
        Blank(
            "cases",
            ByClient(),
            ("account_ref", "debtor_key"),
            fixed=(("named_contacts", "[]"),),
        ),
        *bus_rules(),
    ),
    files=(Files("recordings", recording_copies),),
)
