"""The event contracts and the catalogue generated from them.

Other teams build consumers from the published schemas, so these tests pin what the
contract promises: every event exists with its producer, money stays exact on the wire,
readers tolerate additions, and the committed catalogue matches the code.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.events import (
    EVENT_TYPES,
    PRODUCERS,
    Envelope,
    Payload,
    UnknownEventType,
    decode,
    encode,
    new_event,
    topic_for,
)
from shared.events import catalog as c
from shared.events.schema import (
    ASYNCAPI_FILE,
    JSON_SCHEMA_DIALECT,
    asyncapi_document,
    check_catalog,
    event_json_schemas,
    main,
    render_catalog,
    write_catalog,
)

REPO = Path(__file__).resolve().parents[2]
AT = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)

# The "Publishes" column of the service table in ARCHITECTURE.md.
ARCHITECTURE_EVENTS: dict[str, str] = {
    "CaseImported": "intake",
    "CaseUpdated": "intake",
    "CaseRecalled": "intake",
    "PaymentReceived": "intake",
    "ImportCompleted": "intake",
    "CaseAssigned": "assignment",
    "CaseReassigned": "assignment",
    "FieldVisitOrdered": "assignment",
    "ApprovalGranted": "assignment",
    "ApprovalRejected": "assignment",
    "CaseClosed": "assignment",
    "WorkdayCalendarLoaded": "assignment",
    "AgreementSaved": "intake",
    "BankAccessRevoked": "intake",
    "ClientPurgeOrdered": "intake",
    "CollectorUpdated": "assignment",
    "FieldVisitCompleted": "assignment",
    "FieldVisitSignedOff": "assignment",
    "ApprovalRequested": "assignment",
    "CaseCostRecorded": "assignment",
    "IncidentReported": "assignment",
    "IncidentLogged": "assignment",
    "IncidentResolved": "assignment",
    "AgencyRegistered": "assignment",
    "CasePlacedWithAgency": "assignment",
    "CaseRecalledFromAgency": "assignment",
    "AgencyPlacementRequested": "assignment",
    "AgencyPlacementRejected": "assignment",
    "FieldVisitReported": "contact",
    "DisputeResolved": "contact",
    "ContactAttempted": "contact",
    "PaymentPromised": "contact",
    "PromiseKept": "contact",
    "PromiseBroken": "contact",
    "ContactDetailsChanged": "contact",
    "DisputeRaised": "contact",
    "LetterIssued": "letters",
    "LetterDispatched": "letters",
    "LetterDelivered": "letters",
    "ReportSubmitted": "reporting",
    "ReportApproved": "reporting",
    "ReportReturned": "reporting",
}

DEBTOR = c.Person(
    name="张三",
    id_type="resident_id",
    id_number="110101199003071234",
    phones=(c.Phone(number="13800000000"),),
)

# One valid payload per event type, so every schema is exercised by a real message.
SAMPLES: dict[str, Payload] = {
    "CaseImported": c.CaseImported(
        client_id="bank-1",
        batch_id="b-1",
        account_ref="ACC-1",
        debtor=DEBTOR,
        contacts=(c.Person(name="李四", relation="spouse"),),
        debt=c.Debt(
            principal=Decimal("0.10"), interest=Decimal("0.20"), total_owed=Decimal("0.30")
        ),
        overdue_since=date(2024, 12, 1),
        received_at=AT,
    ),
    "CaseUpdated": c.CaseUpdated(
        client_id="bank-1",
        account_ref="ACC-1",
        changes={"bucket": ("M1", "M2"), "branch": (None, "SH")},
        debt=c.Debt(total_owed=Decimal("99.99")),
    ),
    "CaseRecalled": c.CaseRecalled(client_id="bank-1", account_ref="ACC-1"),
    "PaymentReceived": c.PaymentReceived(
        client_id="bank-1",
        account_ref="ACC-1",
        transaction_ref="T-1",
        amount=Decimal("1234567890123.45"),
        paid_at=AT,
    ),
    "ImportCompleted": c.ImportCompleted(
        client_id="bank-1",
        batch_id="b-1",
        rows_total=3,
        rows_imported=1,
        rows_updated=1,
        rows_rejected=1,
        received_at=AT,
        completed_at=AT,
        entry_overdue=False,
    ),
    "CaseAssigned": c.CaseAssigned(client_id="bank-1", collector_id="u-1", assigned_at=AT),
    "CaseReassigned": c.CaseReassigned(
        client_id="bank-1",
        from_collector_id="u-1",
        collector_id="u-2",
        reason="handover",
        reassigned_at=AT,
    ),
    "FieldVisitOrdered": c.FieldVisitOrdered(
        visit_id="v-1", field_collector_id="u-3", ordered_by="u-1", due_by=AT
    ),
    "ApprovalGranted": c.ApprovalGranted(
        approval_id="a-1", kind="extension", approved_by="s-1", decided_at=AT
    ),
    "ApprovalRejected": c.ApprovalRejected(
        approval_id="a-2", kind="extension", rejected_by="s-1", reason="no", decided_at=AT
    ),
    "CaseClosed": c.CaseClosed(client_id="bank-1", outcome="paid", closed_at=AT),
    "WorkdayCalendarLoaded": c.WorkdayCalendarLoaded(
        year=2027,
        days=(c.CalendarDay(day=date(2027, 10, 1), kind="holiday", name="国庆节"),),
        loaded_by="admin-1",
        loaded_at=AT,
    ),
    "ContactAttempted": c.ContactAttempted(
        attempt_id="t-1",
        collector_id="u-1",
        channel="phone",
        party="debtor",
        outcome="no_answer",
        attempted_at=AT,
    ),
    "PaymentPromised": c.PaymentPromised(
        promise_id="p-1",
        collector_id="u-1",
        amount=Decimal("500.00"),
        due_on=date(2025, 3, 10),
        promised_at=AT,
    ),
    "PromiseKept": c.PromiseKept(promise_id="p-1", kept_at=AT),
    "PromiseBroken": c.PromiseBroken(
        promise_id="p-1", amount_missing=Decimal("0.01"), broken_at=AT
    ),
    "ContactDetailsChanged": c.ContactDetailsChanged(
        party="debtor", field="phone", status="invalid", changed_at=AT
    ),
    "DisputeRaised": c.DisputeRaised(dispute_id="d-1", reason="not mine", raised_at=AT),
    "LetterIssued": c.LetterIssued(
        letter_id="l-1",
        kind="demand",
        recipient_party="debtor",
        content_sha256="0" * 64,
        issued_at=AT,
    ),
    "LetterDispatched": c.LetterDispatched(
        letter_id="l-1", carrier="EMS", tracking_number="EMS1", mailed_on=date(2025, 3, 5)
    ),
    "LetterDelivered": c.LetterDelivered(
        letter_id="l-1", outcome="signed", outcome_on=date(2025, 3, 7)
    ),
    "AgreementSaved": c.AgreementSaved(
        agreement_id="ag-1",
        client_id="BANK-A",
        number="HZ-2026-01",
        status="active",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        commission_rate=Decimal("0.1200"),
        bucket_rates={"M2": Decimal("0.1500")},
        reconciliation_day=25,
        recovery_target=Decimal("23000000.00"),
        saved_at=AT,
    ),
    "BankAccessRevoked": c.BankAccessRevoked(client_id="BANK-A", key_id="k-1", revoked_at=AT),
    "ClientPurgeOrdered": c.ClientPurgeOrdered(
        purge_id="p-1",
        client_id="BANK-A",
        agreement_ids=("a-1",),
        retention_until=date(2031, 12, 31),
        ordered_by="admin-1",
        reason="retention ended",
        ordered_at=AT,
    ),
    "CollectorUpdated": c.CollectorUpdated(
        collector_id="u-1",
        name="李四",
        role="phone_collector",
        team_id="t-1",
        branch_id="b-1",
        monthly_quota=Decimal("300000.00"),
        changed_at=AT,
    ),
    "FieldVisitCompleted": c.FieldVisitCompleted(
        visit_id="v-1", result="debtor met, promised to pay", entered_by="u-1", completed_at=AT
    ),
    "FieldVisitSignedOff": c.FieldVisitSignedOff(
        visit_id="v-1", signed_off_by="sup-1", signed_off_at=AT
    ),
    "ApprovalRequested": c.ApprovalRequested(
        approval_id="ap-1",
        kind="extension",
        reason="debtor abroad until March",
        next_steps="call the guarantor weekly",
        requested_by="u-1",
        requested_at=AT,
    ),
    "CaseCostRecorded": c.CaseCostRecorded(
        cost_id="co-1",
        client_id="BANK-A",
        kind="travel",
        amount=Decimal("86.50"),
        incurred_on=date(2025, 3, 4),
        approved_by="sup-1",
        recorded_at=AT,
    ),
    "IncidentReported": c.IncidentReported(
        incident_id="in-1",
        kind="field_emergency",
        what="债务人家属情绪激动",
        client_ids=("BANK-A",),
        team_id="T1",
        visit_id="v-1",
        raised_by="f-1",
        occurred_at=AT,
        raised_at=AT,
        supervisor_id="sup-1",
        supervisor_told_at=AT,
    ),
    "IncidentLogged": c.IncidentLogged(
        incident_id="in-1", entry="contact", at=AT, by="sup-1", note="人员安全"
    ),
    "IncidentResolved": c.IncidentResolved(
        incident_id="in-1",
        kind="field_emergency",
        occurred_at=AT,
        resolved_at=AT,
        resolved_by="sup-1",
        resolution="人员安全返回",
        outcome="visit abandoned",
    ),
    "AgencyRegistered": c.AgencyRegistered(
        agency_id="AGY-1",
        name="诚信委外",
        commission_rate=Decimal("0.2500"),
        term_days=90,
        active=True,
        saved_at=AT,
    ),
    "CasePlacedWithAgency": c.CasePlacedWithAgency(
        placement_id="pl-1",
        agency_id="AGY-1",
        collector_id="agy-user",
        placed_by="sup-1",
        placed_at=AT,
        until=AT,
        commission_rate=Decimal("0.2500"),
    ),
    "CaseRecalledFromAgency": c.CaseRecalledFromAgency(
        placement_id="pl-1",
        agency_id="AGY-1",
        recalled_at=AT,
        recalled_by="platform",
        reason="term ended",
        returned_to="c-1",
    ),
    "AgencyPlacementRequested": c.AgencyPlacementRequested(
        placement_id="pl-2",
        agency_id="AGY-1",
        approval_id="ap-1",
        requested_by="sup-1",
        requested_at=AT,
        reason="habitual late payer",
    ),
    "AgencyPlacementRejected": c.AgencyPlacementRejected(
        placement_id="pl-2",
        agency_id="AGY-1",
        approval_id="ap-1",
        rejected_by="sup-2",
        rejected_at=AT,
        reason="the bank said no",
    ),
    "FieldVisitReported": c.FieldVisitReported(
        visit_id="v-1",
        field_collector_id="f-1",
        visited_at=AT,
        found="debtor at home",
        reported_at=AT,
    ),
    "DisputeResolved": c.DisputeResolved(
        dispute_id="d-1", resolution="rejected", resolved_by="sup-1", resolved_at=AT
    ),
    "ReportSubmitted": c.ReportSubmitted(
        submission_id="s-1",
        report="collector_weekly",
        period="2026-10-31..2026-11-06",
        subject_id="c-1",
        submitted_by="c-1",
        body_sha256="0" * 64,
        submitted_at=AT,
    ),
    "ReportApproved": c.ReportApproved(
        submission_id="s-1", approved_by="sup-1", role="supervisor", complete=True, approved_at=AT
    ),
    "ReportReturned": c.ReportReturned(
        submission_id="s-1", returned_by="sup-1", reason="补充外访记录", returned_at=AT
    ),
}


def _event(payload: Payload, case_id: str | None = "case-1") -> Envelope[Any]:
    return new_event(payload, occurred_at=AT, case_id=case_id, correlation_id="req-1")


def _wire(payload: Payload) -> dict[str, Any]:
    return json.loads(encode(_event(payload)))


# --- contracts ------------------------------------------------------------------------


def test_every_documented_event_has_a_payload_model_with_its_producer() -> None:
    assert set(EVENT_TYPES) == set(ARCHITECTURE_EVENTS)
    for name, producer in ARCHITECTURE_EVENTS.items():
        model = EVENT_TYPES[name]
        assert issubclass(model, Payload)
        assert model.event_type == name
        assert model.producer == producer, name
        assert model.summary, f"{name} has no summary for the catalogue"
    assert set(ARCHITECTURE_EVENTS.values()) == set(PRODUCERS)
    assert set(SAMPLES) == set(EVENT_TYPES)


@pytest.mark.parametrize("name", sorted(ARCHITECTURE_EVENTS))
def test_round_trip_keeps_the_typed_payload(name: str) -> None:
    event = _event(SAMPLES[name])

    decoded = decode(encode(event))

    assert type(decoded.payload) is EVENT_TYPES[name]
    assert decoded == event
    assert decoded.producer == ARCHITECTURE_EVENTS[name]


def test_money_stays_exact_decimal_on_the_wire() -> None:
    imported = decode(encode(_event(SAMPLES["CaseImported"]))).payload
    assert isinstance(imported, c.CaseImported)
    debt = imported.debt
    # 0.1 + 0.2 == 0.3 only holds if no float ever touched the amounts.
    assert debt.principal + debt.interest == debt.total_owed == Decimal("0.30")
    assert str(debt.principal) == "0.10"  # scale kept, not normalised

    raw = encode(_event(SAMPLES["PaymentReceived"]))
    assert json.loads(raw)["payload"]["amount"] == "1234567890123.45"  # a string, not a float
    payment = decode(raw).payload
    assert isinstance(payment, c.PaymentReceived)
    assert payment.amount == Decimal("1234567890123.45")
    assert isinstance(payment.amount, Decimal)


def test_decoding_an_unknown_type_raises() -> None:
    message = _wire(SAMPLES["CaseRecalled"])
    message["type"] = "CaseTeleported"

    with pytest.raises(UnknownEventType):
        decode(json.dumps(message))


def test_fields_added_by_a_newer_producer_are_ignored() -> None:
    message = _wire(SAMPLES["PaymentReceived"])
    message["payload"]["channel"] = "bank_transfer"
    message["trace_flags"] = "01"

    decoded = decode(json.dumps(message))

    assert decoded.payload == SAMPLES["PaymentReceived"]
    assert not hasattr(decoded.payload, "channel")


def test_payloads_and_envelopes_are_frozen() -> None:
    payload = SAMPLES["CaseClosed"]
    event = _event(payload)
    with pytest.raises(ValidationError):
        payload.outcome = "legal"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        event.case_id = "case-2"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        DEBTOR.name = "王五"  # type: ignore[misc]


def test_envelope_carries_no_personal_data() -> None:
    personal = {"name", "id_number", "id_type", "phone", "phones", "debtor", "contacts"}
    message = _wire(SAMPLES["CaseImported"])  # the payload itself does hold a debtor

    assert set(message) == set(Envelope.model_fields)
    assert not personal & set(message)
    assert "张三" not in json.dumps({k: v for k, v in message.items() if k != "payload"})


# --- JSON Schema ----------------------------------------------------------------------

_ANNOTATIONS = {"title", "description", "default", "format", "$id", "$schema", "$defs"}
_JSON_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def _validate(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "$") -> None:
    """Just enough of JSON Schema 2020-12 for these schemas (jsonschema is not installed).

    An unfamiliar keyword fails the test instead of being skipped, so the check can't
    quietly become weaker than the schemas it reads.
    """
    unknown = set(schema) - _ANNOTATIONS - {
        "$ref", "type", "const", "enum", "anyOf", "properties", "required",
        "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
        "minimum", "maxLength", "minLength", "pattern",
    }  # fmt: skip
    assert not unknown, f"{at}: validator does not know {unknown}"
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        _validate(instance, root["$defs"][ref.removeprefix("#/$defs/")], root, at)
    if "type" in schema:
        expected = _JSON_TYPES[schema["type"]]
        assert isinstance(instance, expected), f"{at}: {instance!r} is not {schema['type']}"
        assert not (isinstance(instance, bool) and schema["type"] in ("integer", "number"))
    if "const" in schema:
        assert instance == schema["const"], f"{at}: {instance!r} != {schema['const']!r}"
    if "enum" in schema:
        assert instance in schema["enum"], f"{at}: {instance!r} not in {schema['enum']}"
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            try:
                _validate(instance, option, root, at)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError(f"{at}: {instance!r} matches no anyOf option")
    if "minimum" in schema:
        assert instance >= schema["minimum"], at
    if "minLength" in schema:
        assert len(instance) >= schema["minLength"], at
    if "maxLength" in schema:
        assert len(instance) <= schema["maxLength"], at
    if "pattern" in schema:
        assert re.search(schema["pattern"], instance), at
    if isinstance(instance, dict):
        for key in schema.get("required", ()):
            assert key in instance, f"{at}: missing required {key!r}"
        props = schema.get("properties", {})
        for key, value in instance.items():
            if key in props:
                _validate(value, props[key], root, f"{at}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                _validate(value, schema["additionalProperties"], root, f"{at}.{key}")
            else:
                assert schema.get("additionalProperties", True) is not False, f"{at}.{key}"
    if isinstance(instance, list):
        assert len(instance) >= schema.get("minItems", 0), at
        assert len(instance) <= schema.get("maxItems", len(instance)), at
        prefix = schema.get("prefixItems", [])
        for i, item in enumerate(instance):
            item_schema = prefix[i] if i < len(prefix) else schema.get("items")
            if item_schema is not None:
                _validate(item, item_schema, root, f"{at}[{i}]")


def test_schemas_identify_and_describe_each_event() -> None:
    schemas = event_json_schemas()

    assert set(schemas) == set(EVENT_TYPES)
    for name, schema in schemas.items():
        model = EVENT_TYPES[name]
        sid = f"{name}.v{model.event_version}"
        assert schema["$schema"] == JSON_SCHEMA_DIALECT
        assert schema["$id"] == schema["title"] == sid
        assert schema["description"] == model.summary
        assert schema["properties"]["type"]["const"] == name
        assert schema["properties"]["version"]["const"] == model.event_version
        assert schema["properties"]["producer"]["const"] == model.producer
        assert {"event_id", "type", "occurred_at", "producer", "payload"} <= set(schema["required"])


@pytest.mark.parametrize("name", sorted(ARCHITECTURE_EVENTS))
def test_a_real_message_validates_against_its_schema(name: str) -> None:
    schema = event_json_schemas()[name]

    _validate(_wire(SAMPLES[name]), schema, schema)


def test_schema_rejects_a_message_of_another_type_or_missing_fields() -> None:
    schema = event_json_schemas()["PaymentReceived"]
    other = _wire(SAMPLES["PromiseKept"])
    with pytest.raises(AssertionError, match="!="):
        _validate(other, schema, schema)

    message = _wire(SAMPLES["PaymentReceived"])
    del message["payload"]["amount"]
    with pytest.raises(AssertionError, match="missing required 'amount'"):
        _validate(message, schema, schema)

    message = _wire(SAMPLES["PaymentReceived"])
    message["payload"]["amount"] = 12.5  # money as a float is not the contract
    with pytest.raises(AssertionError, match="not string"):
        _validate(message, schema, schema)


# --- AsyncAPI -------------------------------------------------------------------------


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if isinstance(node, dict) and set(node) == {"$ref"}:  # a reference to a reference
        return _resolve(document, node["$ref"])
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_asyncapi_has_a_channel_per_producer_and_a_message_per_event() -> None:
    doc = asyncapi_document()

    assert doc["asyncapi"].startswith("3.")
    assert doc["info"]["title"] == "Collections platform events"
    assert {s["host"] for s in doc["servers"].values()} == {"127.0.0.1:9092", "kafka:9092"}
    assert {s["protocol"] for s in doc["servers"].values()} == {"kafka"}
    addresses = {ch["address"] for ch in doc["channels"].values()}
    assert addresses == {topic_for(p) for p in PRODUCERS}

    messages = doc["components"]["messages"]
    assert {m["name"] for m in messages.values()} == set(EVENT_TYPES)
    for name, model in EVENT_TYPES.items():
        (channel,) = [ch for ch in doc["channels"].values() if name in ch["messages"]]
        assert channel["address"] == topic_for(model.producer)
        message = _resolve(doc, channel["messages"][name]["$ref"])
        payload_schema = _resolve(doc, message["payload"]["schema"]["$ref"])
        assert payload_schema["properties"]["type"]["const"] == name

    sends = [op for op in doc["operations"].values() if op["action"] == "send"]
    assert len(sends) == len(PRODUCERS)
    for op in sends:
        channel = _resolve(doc, op["channel"]["$ref"])
        assert {_resolve(doc, m["$ref"])["name"] for m in op["messages"]} == {
            _resolve(doc, m["$ref"])["name"] for m in channel["messages"].values()
        }


def test_every_asyncapi_reference_resolves() -> None:
    doc = asyncapi_document()

    refs = _refs(doc)

    assert refs
    for ref in refs:
        _resolve(doc, ref)


# --- the committed catalogue ----------------------------------------------------------


def test_committed_catalogue_is_up_to_date() -> None:
    out = REPO / "docs" / "events"

    assert check_catalog(out) == [], "run: python -m shared.events.schema"


def test_generation_is_deterministic_and_check_spots_drift(tmp_path: Path) -> None:
    written = write_catalog(tmp_path)
    first = {p.name: p.read_bytes() for p in written}
    write_catalog(tmp_path)
    assert {p.name: p.read_bytes() for p in written} == first
    assert set(first) == set(render_catalog())
    assert ASYNCAPI_FILE in first
    assert all(text.endswith(b"\n") for text in first.values())
    assert "张三".encode() not in first[ASYNCAPI_FILE]  # schemas only, no sample data
    assert main(["--out", str(tmp_path), "--check"]) == 0

    edited = tmp_path / "PromiseKept.v1.schema.json"
    edited.write_text(edited.read_text() + " ")
    stale = tmp_path / "CaseTeleported.v1.schema.json"
    stale.write_text("{}\n")
    (tmp_path / "PaymentReceived.v1.schema.json").unlink()

    assert check_catalog(tmp_path) == [
        tmp_path / "PaymentReceived.v1.schema.json",
        edited,
        stale,
    ]
    assert main(["--out", str(tmp_path), "--check"]) == 1

    write_catalog(tmp_path)
    assert check_catalog(tmp_path) == []
    assert not stale.exists()
