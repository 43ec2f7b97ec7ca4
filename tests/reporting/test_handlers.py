"""Reporting's read models, fed through dispatch (no broker)."""

from __future__ import annotations

from services.reporting.models import CaseFact, EventTally
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_imported, case_reassigned


def test_case_facts_and_the_tally_count_each_event_once(service_runtime) -> None:
    runtime = service_runtime("reporting")
    imported = [case_imported(FIXED_NOW) for _ in range(4)]
    assigned = [case_assigned(FIXED_NOW, e.case_id, "c-1") for e in imported]
    moved = case_reassigned(FIXED_NOW, imported[0].case_id, "c-1", "c-2")
    runtime.dispatch([*imported, *assigned[:2]])
    runtime.dispatch([*assigned, moved, imported[0]])  # two repeats among them

    with runtime.db.reader() as session:
        tally = {t.event_type: t.count for t in session.query(EventTally).all()}
        facts = {f.case_id: f for f in session.query(CaseFact).all()}
    assert tally == {"CaseImported": 4, "CaseAssigned": 4, "CaseReassigned": 1}
    assert len(facts) == 4
    assert all(f.imported_at is not None and f.assigned_at is not None for f in facts.values())
