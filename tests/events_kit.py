"""Events as the producing services would emit them, for handler tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.clock import to_local
from shared.events import Envelope, new_event
from shared.events.catalog import (
    CaseAssigned,
    CaseImported,
    CaseReassigned,
    CaseRecalled,
    CaseUpdated,
    Debt,
    FieldVisitOrdered,
    PaymentReceived,
    Person,
    Phone,
)


def case_imported(
    at: datetime,
    *,
    client_id: str = "BANK-A",
    total: str = "1200.50",
    phones: tuple[str, ...] = (),
    contacts: tuple[str, ...] = (),
    guarantors: tuple[str, ...] = (),
    home_address: str | None = None,
    received_at: datetime | None = None,
    id_number: str | None = None,
    **facts: Any,
) -> Envelope[Any]:
    """``facts``: more CaseImported fields, e.g. product_type, branch (the region), bank_bucket,
    days_past_due (counted, as intake counts it, to the day received unless
    ``days_past_due_on`` says otherwise)."""
    received_at = received_at or at
    if facts.get("days_past_due") is not None:
        facts.setdefault("days_past_due_on", to_local(received_at).date())
    return new_event(
        CaseImported(
            client_id=client_id,
            batch_id="batch-1",
            account_ref=f"ACC-{uuid.uuid4().hex[:6]}",
            debtor=Person(
                name="张三", id_number=id_number, phones=tuple(Phone(number=p) for p in phones)
            ),
            debt=Debt(total_owed=Decimal(total)),
            received_at=received_at,
            contacts=tuple(Person(name=name, relation="friend") for name in contacts)
            + tuple(Person(name=name, relation="guarantor") for name in guarantors),
            home_address=home_address,
            **facts,
        ),
        occurred_at=at,
        case_id=str(uuid.uuid4()),
        correlation_id="corr-import",
    )


def case_assigned(
    at: datetime, case_id: str, collector_id: str, *, client_id: str = "BANK-A"
) -> Envelope[Any]:
    return new_event(
        CaseAssigned(client_id=client_id, collector_id=collector_id, team_id="T1", assigned_at=at),
        occurred_at=at,
        case_id=case_id,
    )


def case_reassigned(
    at: datetime, case_id: str, from_id: str, to_id: str, *, client_id: str = "BANK-A"
) -> Envelope[Any]:
    return new_event(
        CaseReassigned(
            client_id=client_id,
            from_collector_id=from_id,
            collector_id=to_id,
            reason="handover",
            reassigned_at=at,
        ),
        occurred_at=at,
        case_id=case_id,
    )


def payment_received(
    case_id: str,
    amount: str,
    paid_at: datetime,
    *,
    ref: str | None = None,
    client_id: str = "BANK-A",
) -> Envelope[Any]:
    return new_event(
        PaymentReceived(
            client_id=client_id,
            account_ref="ACC-1",
            transaction_ref=ref or f"TX-{uuid.uuid4().hex[:8]}",
            amount=Decimal(amount),
            paid_at=paid_at,
        ),
        occurred_at=paid_at,
        case_id=case_id,
    )


def case_recalled(
    at: datetime, case_id: str, *, reason: str | None = None, client_id: str = "BANK-A"
) -> Envelope[Any]:
    return new_event(
        CaseRecalled(client_id=client_id, account_ref="ACC-1", reason=reason),
        occurred_at=at,
        case_id=case_id,
    )


def balance_changed(
    at: datetime, case_id: str, total: str, *, client_id: str = "BANK-A"
) -> Envelope[Any]:
    """``CaseUpdated`` as intake sends it after a balance adjustment."""
    return new_event(
        CaseUpdated(
            client_id=client_id,
            account_ref="ACC-1",
            changes={"total_owed": (None, total)},
            debt=Debt(total_owed=Decimal(total)),
        ),
        occurred_at=at,
        case_id=case_id,
    )


def field_visit_ordered(
    at: datetime, case_id: str, field_collector_id: str, *, visit_id: str | None = None
) -> Envelope[Any]:
    return new_event(
        FieldVisitOrdered(
            visit_id=visit_id or str(uuid.uuid4()),
            field_collector_id=field_collector_id,
            ordered_by="collector-a",
            due_by=at + timedelta(days=2),
        ),
        occurred_at=at,
        case_id=case_id,
    )
