"""Events are known by type and version; older versions are upcast on read."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from shared.events import UnknownEventVersion, decode, known_versions
from shared.events.catalog import ContactAttempted
from shared.events.upcasters import UPCASTERS


def contact_attempted_v1(channel: str) -> bytes:
    """A ContactAttempted as a version-1 producer wrote it."""
    return json.dumps(
        {
            "event_id": str(uuid.uuid4()),
            "type": "ContactAttempted",
            "version": 1,
            "occurred_at": datetime(2026, 11, 2, 2, 0, tzinfo=UTC).isoformat(),
            "producer": "contact",
            "case_id": "case-1",
            "payload": {
                "attempt_id": "a-1",
                "collector_id": "c-1",
                "channel": channel,
                "party": "debtor",
                "outcome": "no_answer",
                "attempted_at": "2026-11-02T02:00:00Z",
            },
        }
    ).encode()


def test_a_v1_visit_is_read_as_a_v2_field_visit() -> None:
    event = decode(contact_attempted_v1("visit"))
    assert isinstance(event.payload, ContactAttempted)
    assert event.version == ContactAttempted.event_version == 2
    assert event.payload.channel == "field_visit"


def test_v1_values_that_did_not_change_pass_through() -> None:
    assert decode(contact_attempted_v1("phone")).payload.channel == "phone"


def test_v2_no_longer_accepts_the_v1_spelling() -> None:
    raw = json.loads(contact_attempted_v1("visit"))
    raw["version"] = 2
    with pytest.raises(ValueError, match="channel"):
        decode(json.dumps(raw))


def test_a_newer_version_than_this_code_knows_is_refused() -> None:
    raw = json.loads(contact_attempted_v1("phone"))
    raw["version"] = 3
    with pytest.raises(UnknownEventVersion, match="version 3 is newer"):
        decode(json.dumps(raw))


def test_an_old_version_without_an_upcaster_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(UPCASTERS, ("ContactAttempted", 1))
    with pytest.raises(UnknownEventVersion, match="no upcaster from version 1"):
        decode(contact_attempted_v1("phone"))


def test_the_registry_is_keyed_by_type_and_version() -> None:
    known = known_versions()
    assert known[("ContactAttempted", 1)] is ContactAttempted
    assert known[("ContactAttempted", 2)] is ContactAttempted
    assert ("ContactAttempted", 3) not in known
    assert ("CaseImported", 2) in known and ("CaseImported", 3) not in known
    assert ("CaseUpdated", 1) in known and ("CaseUpdated", 2) not in known


def case_imported_v1(days: int | None, bucket: str | None, since: str | None = None) -> bytes:
    """A CaseImported as intake wrote it before days past due named the day counted to."""
    return json.dumps(
        {
            "event_id": str(uuid.uuid4()),
            "type": "CaseImported",
            "version": 1,
            "occurred_at": "2026-11-02T02:00:00Z",
            "producer": "intake",
            "case_id": "case-1",
            "payload": {
                "client_id": "bank-1",
                "batch_id": "b-1",
                "account_ref": "A-1",
                "debtor": {"name": "张三"},
                "debt": {"total_owed": "100.00"},
                "overdue_since": since,
                "days_past_due": days,
                "bucket": bucket,
                "received_at": "2026-11-01T17:30:00Z",  # 2 November in Shanghai
            },
        }
    ).encode()


def test_a_v1_case_over_90_days_is_read_in_its_own_bucket_not_m4_plus() -> None:
    from shared.events.catalog import CaseImported

    event = decode(case_imported_v1(200, "M4+"))
    assert isinstance(event.payload, CaseImported)
    assert event.version == CaseImported.event_version == 2
    assert event.payload.bucket == "M7+"
    assert event.payload.bank_bucket is None
    assert event.payload.days_past_due_on.isoformat() == "2026-11-02"


def test_a_v1_bank_label_is_kept_as_the_banks_own() -> None:
    payload = decode(case_imported_v1(35, "逾期2期")).payload
    assert (payload.bucket, payload.bank_bucket) == ("M2", "逾期2期")


def test_a_v1_case_without_days_has_no_day_counted_to() -> None:
    payload = decode(case_imported_v1(None, None, since="2026-10-01")).payload
    assert payload.days_past_due_on is None and payload.bucket is None
