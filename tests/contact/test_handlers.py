"""Contact's copy of each case, fed through dispatch (no broker)."""

from __future__ import annotations

from services.contact.models import SECURITY, ContactCase
from shared.auth.visibility import case_scope
from tests.conftest import FIXED_NOW
from tests.events_kit import case_assigned, case_imported, case_reassigned


def test_import_then_assignment_then_handover(service_runtime) -> None:
    runtime = service_runtime("contact")
    imported = case_imported(FIXED_NOW, phones=("13800138000", "13800138000", "13900139000"))
    case_id = imported.case_id
    outcome = runtime.dispatch(
        [
            imported,
            case_assigned(FIXED_NOW, case_id, "collector-a"),
            case_reassigned(FIXED_NOW, case_id, "collector-a", "collector-b"),
        ]
    )
    assert outcome.handled_count == 3
    with runtime.db.reader() as session:
        case = session.get(ContactCase, case_id)
        scope = case_scope(session, SECURITY.case_visibility, case_id)
    assert case is not None
    assert case.phone_count == 2, "the same number twice is one number"
    assert case.collector_id == "collector-b"
    assert scope is not None and scope.collector_id == "collector-b"


def test_an_assignment_overtaking_its_import_keeps_the_collector(service_runtime) -> None:
    runtime = service_runtime("contact")
    imported = case_imported(FIXED_NOW, phones=("13800138000",))
    runtime.dispatch([case_assigned(FIXED_NOW, imported.case_id, "collector-a"), imported])
    with runtime.db.reader() as session:
        case = session.get(ContactCase, imported.case_id)
    assert case is not None and case.collector_id == "collector-a" and case.phone_count == 1
