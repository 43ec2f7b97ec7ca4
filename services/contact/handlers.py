"""Contact keeps its own copy of each case and of who works it (set-based, per run), and
follows the client's payments for promises and 'already paid' claims."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import func

from services.contact.first_contact.domain import first_contact_due
from services.contact.models import ContactCase
from services.contact.promises.handlers import on_payment_received
from services.contact.rules.timezones import timezone_from_address
from shared.bus.handlers import Handled, HandlerTable, batched
from shared.db import upsert
from shared.events.catalog import CaseAssigned, CaseImported, CaseReassigned, PaymentReceived

CASES = ContactCase.__table__


@batched
def on_case_imported(items: Sequence[Handled]) -> None:
    rows = []
    for _, event in items:
        payload = event.payload
        rows.append(
            {
                "id": event.case_id,
                "client_id": payload.client_id,
                "received_at": event.occurred_at,
                "phone_count": len({p.number for p in payload.debtor.phones}),
                "account_ref": payload.account_ref,
                "product_type": payload.product_type,
                "timezone": timezone_from_address(payload.home_address, payload.work_address),
                "named_contacts": json.dumps(
                    sorted({c.name.strip() for c in payload.contacts if c.name.strip()}),
                    ensure_ascii=False,
                ),
            }
        )
    upsert(
        items[0][0].session,
        CASES,
        rows,
        key=["id"],
        changes=lambda new: {
            "phone_count": new.phone_count,
            "account_ref": new.account_ref,
            "product_type": new.product_type,
            "timezone": new.timezone,
            "named_contacts": new.named_contacts,
        },
    )


@batched
def on_case_assigned(items: Sequence[Handled]) -> None:
    """Assignment may overtake import (two topics): keep the collector either way. The
    first assignment starts the first-contact clock; a later one does not restart it."""
    rows = [
        {
            "id": event.case_id,
            "client_id": event.payload.client_id,
            "received_at": event.occurred_at,
            "collector_id": event.payload.collector_id,
            "phone_count": 0,
            "first_contact_due_at": first_contact_due(
                event.payload.assigned_at, event.payload.due_first_action_by
            ),
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        CASES,
        rows,
        key=["id"],
        changes=lambda new: {
            "collector_id": new.collector_id,
            "first_contact_due_at": func.coalesce(
                CASES.c.first_contact_due_at, new.first_contact_due_at
            ),
        },
    )


@batched
def on_case_reassigned(items: Sequence[Handled]) -> None:
    rows = [
        {
            "id": event.case_id,
            "client_id": event.payload.client_id,
            "received_at": event.occurred_at,
            "collector_id": event.payload.collector_id,
            "phone_count": 0,
        }
        for _, event in items
    ]
    upsert(
        items[0][0].session,
        CASES,
        rows,
        key=["id"],
        changes=lambda new: {"collector_id": new.collector_id},
    )


HANDLERS: HandlerTable = {
    CaseImported: [on_case_imported],
    CaseAssigned: [on_case_assigned],
    CaseReassigned: [on_case_reassigned],
    PaymentReceived: [on_payment_received],
}
