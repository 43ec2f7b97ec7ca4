"""A payment the client reports fills the case's promises and answers 'already paid'
claims; the case's due instalments are then decided at the handler's clock."""

from __future__ import annotations

from typing import Any

from services.contact.attempts.claims import match_payment
from services.contact.promises.service import check_due, record_payment
from shared.bus.work import UnitOfWork
from shared.events import Envelope


def on_payment_received(uow: UnitOfWork, event: Envelope[Any]) -> None:
    if event.case_id is None:
        return
    payment = event.payload
    if record_payment(
        uow,
        event.case_id,
        payment.client_id,
        payment.transaction_ref,
        payment.amount,
        payment.paid_at,
    ):
        match_payment(uow, event.case_id, payment.transaction_ref, payment.amount, payment.paid_at)
    check_due(uow, event.case_id)
