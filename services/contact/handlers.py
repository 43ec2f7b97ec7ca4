"""Contact keeps its own copy of each case and of who works it (set-based, per run); every
handler contact runs is wired in services/contact/subscriptions.py."""

from __future__ import annotations

import json
from collections.abc import Sequence

from services.contact.details.domain import debtor_key, from_bank_file
from services.contact.details.models import ContactDetail
from services.contact.first_contact.domain import first_contact_due
from services.contact.models import ContactCase
from shared.bus.handlers import Handled, batched
from shared.bus.work import UnitOfWork
from shared.casecopy import case_row, record_case_copies
from shared.db import upsert
from shared.events import Envelope
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned, CaseUpdated
from shared.pastdue import first_overdue_of
from shared.places import timezone_from_address

CASES = ContactCase.__table__
DETAILS = ContactDetail.__table__
IMPORTED_COLUMNS = (
    "phone_count",
    "account_ref",
    "product_type",
    "timezone",
    "named_contacts",
    "debtor_key",
    "overdue_since",
)
HOLDER_COLUMNS = ("collector_id", "collector_since")


@batched
def on_case_imported(items: Sequence[Handled[CaseImported]]) -> None:
    """The case, and every phone and address the bank file gives (unverified)."""
    rows, details = [], []
    for _, event in items:
        payload = event.payload
        rows.append(
            case_row(
                event,
                payload.client_id,
                phone_count=len({p.number for p in payload.debtor.phones}),
                account_ref=payload.account_ref,
                product_type=payload.product_type,
                timezone=timezone_from_address(payload.home_address, payload.work_address),
                named_contacts=json.dumps(
                    sorted({c.name.strip() for c in payload.contacts if c.name.strip()}),
                    ensure_ascii=False,
                ),
                debtor_key=debtor_key(payload.debtor),
                overdue_since=first_overdue_of(payload),
            )
        )
        details.extend(from_bank_file(event.case_id, payload, event.occurred_at))
    session = items[0][0].session
    record_case_copies(session, CASES, rows, refresh=IMPORTED_COLUMNS)
    upsert(session, DETAILS, details, key=["id"])


@batched
def on_case_assigned(items: Sequence[Handled[CaseAssigned]]) -> None:
    """Assignment may overtake import (two topics): keep the collector either way. The
    first assignment starts the first-contact clock; a later one does not restart it."""
    rows = [
        case_row(
            event,
            event.payload.client_id,
            collector_id=event.payload.collector_id,
            collector_since=event.payload.assigned_at,
            phone_count=0,
            first_contact_due_at=first_contact_due(
                event.payload.assigned_at, event.payload.due_first_action_by
            ),
        )
        for _, event in items
    ]
    record_case_copies(
        items[0][0].session,
        CASES,
        rows,
        refresh=HOLDER_COLUMNS,
        keep_first=["first_contact_due_at"],
    )


def on_case_updated(uow: UnitOfWork, event: Envelope[CaseUpdated]) -> None:
    """A later word from the bank on when the case fell overdue."""
    past_due = event.payload.past_due
    case = uow.session.get(ContactCase, event.case_id) if event.case_id else None
    if case is not None and past_due is not None:
        case.overdue_since = first_overdue_of(past_due)
        uow.session.add(case)


@batched
def on_case_reassigned(items: Sequence[Handled[CaseReassigned]]) -> None:
    rows = [
        case_row(
            event,
            event.payload.client_id,
            collector_id=event.payload.collector_id,
            collector_since=event.payload.reassigned_at,
            phone_count=0,
        )
        for _, event in items
    ]
    record_case_copies(items[0][0].session, CASES, rows, refresh=HOLDER_COLUMNS)
