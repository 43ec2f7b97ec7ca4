"""Letters' part of the 5-year purge: the letters' PDFs and proofs (both copies), the
guarantees and events still waiting for their case go; recipients' names and addresses,
dispatch addresses and tracking numbers, the rendering inputs and the debtor's name and
address are blanked; each letter, its kind, dates and delivery outcome stay as figures."""

from __future__ import annotations

from services.letters.models import PURGE_RUNS, LettersTable
from services.letters.stores import PDFS, PROOF
from services.letters.waiting import WAITING
from shared.purge.plan import Blank, ByCase, ByClient, ByParent, Delete, Files, PurgePlan, bus_rules

OF_LETTERS = ByParent("letter_id", "letters", "id", ByCase())


def _stores(kind: str) -> Files:
    return Files(kind, lambda settings: [root / kind for root in settings.store_dirs])


PLAN = PurgePlan(
    metadata=LettersTable.metadata,
    runs=PURGE_RUNS,
    rules=(
        Delete("evidence_files", OF_LETTERS),
        Delete("guarantees", ByCase()),
        Blank("dispatches", OF_LETTERS, ("address", "tracking_number"), id_column="letter_id"),
        Blank(
            "letters",
            ByCase(),
            ("recipient_name", "recipient_address"),
            fixed=(("inputs", "{}"),),
        ),
        Blank("limitation_facts", ByCase(), ("note",)),
        Delete(WAITING.name, ByCase()),
        Blank("cases", ByClient(), ("debtor_name", "address"), to_id=("account_ref",)),
        *bus_rules(),
    ),
    files=(_stores(PDFS), _stores(PROOF)),
)
