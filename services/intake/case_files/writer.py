"""Storing one chunk of validated rows, in the caller's transaction: new cases inserted
with their ``CaseImported``, changed cases updated with their ``CaseUpdated``, the
findings written to ``batch_errors`` and the batch's counters moved on. Never commits."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.intake.case_files import store
from services.intake.case_files.models import ImportBatch
from services.intake.case_files.parsing.rows import CASE_FIELDS, UPDATABLE, CaseRow, Finding
from services.intake.cases import domain, service
from services.intake.cases import store as cases
from services.intake.cases.models import Case
from shared.bus.encoded import EncodedEvent, encode_envelope
from shared.bus.work import UnitOfWork
from shared.clock import to_local
from shared.events.catalog import CaseImported
from shared.pastdue import bucket_on, first_overdue_day

MONEY = ("principal", "interest", "penalty", "fees", "total_owed")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass
class Chunk:
    rows: int = 0
    valid: list[CaseRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    bytes_read: int = 0
    account_column: str = "account_ref"


def rejected_rows(findings: list[Finding]) -> int:
    """Rows with at least one error."""
    return len({f.row for f in findings if f.is_error})


def warned_rows(findings: list[Finding]) -> int:
    """Rows imported with at least one warning (and no error)."""
    errors = {f.row for f in findings if f.is_error}
    return len({f.row for f in findings if not f.is_error} - errors)


@dataclass(frozen=True)
class Target:
    """Where a chunk's cases go: the client, agreement and batch they belong to."""

    client_id: str
    agreement_id: str | None
    batch_id: str


def write_chunk(uow: UnitOfWork, target: Target, batch: ImportBatch, chunk: Chunk) -> None:
    known = cases.cases_by_account(
        uow.session, target.client_id, [c.account_ref for c in chunk.valid]
    )
    findings = list(chunk.findings)
    created: list[dict[str, Any]] = []
    for row in chunk.valid:
        case = known.get(row.account_ref)
        if case is None:
            created.append(case_insert(row, target, batch.received_at))
            continue
        if case.state == "recalled":
            findings.append(_recalled(row, case, chunk.account_column))
            continue
        changes = domain.without_recount(case, row, domain.changes_of(case, row, UPDATABLE))
        if not changes:
            batch.rows_unchanged += 1
            continue
        new_values = {name: getattr(row, name) for name in changes}
        service.apply_changes(uow, case, changes, new_values, batch_id=target.batch_id)
        batch.rows_updated += 1
    uow.session.flush()
    cases.insert_cases(uow.session, created)
    store.insert_events(
        uow.session, [case_imported(v, uow.now, uow.correlation_id) for v in created]
    )
    store.insert_findings(uow.session, target.batch_id, findings)
    batch.rows_imported += len(created)
    batch.rows_rejected += rejected_rows(findings)
    batch.rows_with_warnings += warned_rows(findings)
    batch.rows_processed += chunk.rows
    if batch.as_of is None:
        batch.as_of = next((r.as_of for r in chunk.valid if r.as_of), None)
    batch.rows_total += chunk.rows
    batch.bytes_read = chunk.bytes_read
    uow.session.add(batch)


def case_insert(row: CaseRow, target: Target, received_at: datetime) -> dict[str, Any]:
    """A new case as the values of one multi-row insert per chunk (ORM objects row by row
    cost more than validating the row did)."""
    values: dict[str, Any] = {name: getattr(row, name) for name in CASE_FIELDS}
    for name in MONEY:
        if values[name] is None:
            values[name] = Decimal("0")
    values.update(
        id=new_case_id(),
        client_id=target.client_id,
        agreement_id=target.agreement_id,
        batch_id=target.batch_id,
        last_batch_id=target.batch_id,
        received_at=received_at,
        state="active",
        currency="CNY",
    )
    return values


def new_case_id() -> str:
    """A random UUID (version 4) as text, as ``str(uuid.uuid4())`` spells it, without
    building the object (a tenth of a chunk's cost went on that)."""
    n = int.from_bytes(os.urandom(16), "big")
    n = (n & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def case_imported(case: dict[str, Any], now: datetime, correlation_id: str | None) -> EncodedEvent:
    """A new case's ``CaseImported``, serialised straight from its insert values: the
    same bytes as the pydantic model would give (tests compare them), at a fraction of
    the cost of building four models per row."""
    payload = {
        "client_id": case["client_id"],
        "agreement_id": case["agreement_id"],
        "batch_id": case["batch_id"],
        "account_ref": case["account_ref"],
        "product_type": case["product_type"],
        "debtor": _person(
            case["debtor_name"], case["id_type"], case["id_number"], case["phones"], None
        ),
        "home_address": case["home_address"],
        "work_address": case["work_address"],
        "employer": case["employer"],
        "contacts": [
            _person(
                c.get("name") or "",
                c.get("id_type"),
                c.get("id_number"),
                c.get("phones") or [],
                c.get("relation"),
            )
            for c in case["contacts"]
        ],
        "debt": {"currency": case["currency"], **{name: case[name] for name in MONEY}},
        "overdue_since": case["overdue_since"],
        "days_past_due": case["days_past_due"],
        "days_past_due_on": case["days_past_due_on"],
        "bucket": _bucket(case),
        "bank_bucket": case["bucket"],
        "branch": case["branch"],
        "received_at": case["received_at"],
    }
    return encode_envelope(
        payload,
        event_type=CaseImported.event_type,
        producer=CaseImported.producer,
        version=CaseImported.event_version,
        occurred_at=now,
        case_id=case["id"],
        correlation_id=correlation_id,
    )


def _bucket(case: dict[str, Any]) -> str | None:
    """The platform's bucket on the day days past due were counted to."""
    on = case["days_past_due_on"]
    first = first_overdue_day(case["overdue_since"], case["days_past_due"], on)
    return None if on is None else bucket_on(first, on)


def phone_kind(number: str) -> str:
    return "mobile" if _MOBILE.match(number) else "other"


def _person(
    name: str, id_type: str | None, id_number: str | None, phones: list[str], relation: str | None
) -> dict[str, Any]:
    """A ``Person``, in its field order."""
    return {
        "name": name,
        "id_type": id_type,
        "id_number": id_number,
        "phones": [{"number": n, "kind": phone_kind(n)} for n in phones],
        "relation": relation,
    }


def _recalled(row: CaseRow, case: Case, column: str) -> Finding:
    when = to_local(case.recalled_at).date().isoformat() if case.recalled_at else "earlier"
    reason = f"the case was recalled on {when}; a file does not reopen it"
    return Finding(row.line, column, row.account_ref, reason, bank_row=row.bank_row)
