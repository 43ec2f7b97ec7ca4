"""Letters' copy of each case, fed through dispatch (no broker)."""

from __future__ import annotations

from decimal import Decimal

from services.letters.models import LetterCase
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_imported


def test_the_amount_owed_and_the_collector_are_kept(service_runtime) -> None:
    runtime = service_runtime("letters")
    imported = case_imported(FIXED_NOW, total="98765.43")
    outcome = runtime.dispatch([imported, case_assigned(FIXED_NOW, imported.case_id, "c-9")])
    assert outcome.handled_count == 2 and not outcome.rejected
    with runtime.db.reader() as session:
        case = session.get(LetterCase, imported.case_id)
    assert case is not None
    assert case.total_owed == Decimal("98765.43")
    assert case.collector_id == "c-9"
