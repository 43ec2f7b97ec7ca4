"""Cases from validated rows: a new case and its ``CaseImported``, or what a later row changes
and its ``CaseUpdated``. Use cases: they never commit."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert

from services.intake.models import SECURITY, Case
from services.intake.source import CaseValues
from shared.bus.work import UnitOfWork
from shared.events.catalog import CaseImported, CaseUpdated, Debt, Person, Phone

AMOUNTS = ("principal", "interest", "penalty", "fees", "total_owed")
# Fields a later file may change; account_ref identifies the case and never changes.
UPDATABLE = tuple(f.name for f in fields(CaseValues) if f.name != "account_ref")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def new_case_row(
    values: CaseValues,
    *,
    client_id: str,
    agreement_id: str | None,
    batch_id: str,
    received_at: datetime,
) -> dict[str, Any]:
    """A new case as a row for one multi-row insert per chunk: building ORM objects row by
    row cost more than validating the row did."""
    row: dict[str, Any] = {f.name: getattr(values, f.name) for f in fields(CaseValues)}
    for name in AMOUNTS:
        if row.get(name) is None:
            row[name] = Decimal("0")
    row.update(
        id=str(uuid.uuid4()),
        client_id=client_id,
        agreement_id=agreement_id,
        batch_id=batch_id,
        last_batch_id=batch_id,
        received_at=received_at,
        state="active",
        currency="CNY",
        phones=row.get("phones") or [],
        contacts=row.get("contacts") or [],
    )
    return row


def insert_new(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    if rows:
        uow.session.execute(insert(Case.__table__), rows)  # type: ignore[arg-type]


def announce_new(uow: UnitOfWork, case: Case | SimpleNamespace) -> None:
    uow.emit(
        CaseImported(
            client_id=case.client_id,
            agreement_id=case.agreement_id,
            batch_id=case.batch_id,
            account_ref=case.account_ref,
            product_type=case.product_type,
            debtor=Person(
                name=case.debtor_name,
                id_type=case.id_type,
                id_number=case.id_number,
                phones=phones(case.phones),
            ),
            home_address=case.home_address,
            work_address=case.work_address,
            employer=case.employer,
            contacts=tuple(_person(c) for c in case.contacts),
            debt=debt_of(case),
            overdue_since=case.overdue_since,
            days_past_due=case.days_past_due,
            bucket=case.bucket,
            branch=case.branch,
            received_at=case.received_at,
        ),
        case_id=case.id,
    )


def record_visibility(uow: UnitOfWork, rows: list[dict[str, Any]]) -> None:
    """New cases are the client's to see (and admins'); assignment adds collectors later."""
    if rows:
        uow.session.execute(
            SECURITY.case_visibility.insert(),
            [{"case_id": r["id"], "client_id": r["client_id"]} for r in rows],
        )


def changes_of(case: Case, values: CaseValues) -> dict[str, tuple[str | None, str | None]]:
    """Field -> (old, new) as text, for the fields the row carries that differ.

    A field the later file leaves empty keeps its value: a file updates what it carries.
    """
    found: dict[str, tuple[str | None, str | None]] = {}
    for name in UPDATABLE:
        new = getattr(values, name)
        if new is None or new == [] or new == "":
            continue
        old = getattr(case, name)
        if _same(old, new):
            continue
        found[name] = (as_text(old), as_text(new))
    return found


def apply_changes(
    uow: UnitOfWork,
    case: Case,
    changes: dict[str, tuple[str | None, str | None]],
    new_values: dict[str, Any],
    *,
    batch_id: str | None,
) -> None:
    for name in changes:
        setattr(case, name, new_values[name])
    case.updated_at = uow.now
    if batch_id is not None:
        case.last_batch_id = batch_id
    uow.session.add(case)
    uow.emit(
        CaseUpdated(
            client_id=case.client_id,
            account_ref=case.account_ref,
            batch_id=batch_id,
            changes=changes,
            debt=debt_of(case) if any(a in changes for a in AMOUNTS) else None,
        ),
        case_id=case.id,
    )


def debt_of(case: Case | SimpleNamespace) -> Debt:
    return Debt(
        currency=case.currency,
        principal=Decimal(case.principal or 0),
        interest=Decimal(case.interest or 0),
        penalty=Decimal(case.penalty or 0),
        fees=Decimal(case.fees or 0),
        total_owed=Decimal(case.total_owed),
    )


def phones(numbers: list[str]) -> tuple[Phone, ...]:
    return tuple(Phone(number=n, kind="mobile" if _MOBILE.match(n) else "other") for n in numbers)


def _person(contact: dict[str, Any]) -> Person:
    return Person(
        name=contact.get("name") or "",
        id_type=contact.get("id_type"),
        id_number=contact.get("id_number"),
        phones=phones(list(contact.get("phones") or [])),
        relation=contact.get("relation"),
    )


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, Decimal) or isinstance(old, Decimal):
        try:
            return old is not None and Decimal(old) == Decimal(new)
        except (ArithmeticError, TypeError, ValueError):
            return False
    if isinstance(new, list | dict):
        return json.dumps(old, sort_keys=True, default=str) == json.dumps(
            new, sort_keys=True, default=str
        )
    return old == new


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
