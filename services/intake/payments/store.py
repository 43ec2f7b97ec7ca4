"""Payments' queries."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.intake.payments.models import Payment
from shared.web.paging import keyset, page


def payment_by_ref(session: Session, client_id: str, transaction_ref: str) -> Payment | None:
    return session.exec(
        select(Payment).where(
            Payment.client_id == client_id, Payment.transaction_ref == transaction_ref
        )
    ).first()


def page_payments(
    session: Session, client_id: str, limit: int, after: str | None, account_ref: str | None
) -> tuple[list[Payment], str | None]:
    """The client's payments, the latest received first."""
    query = select(Payment).where(Payment.client_id == client_id)
    if account_ref:
        query = query.where(Payment.account_ref == account_ref)
    order = [col(Payment.received_at), col(Payment.id)]
    rows = session.exec(keyset(query, order, limit, after, descending=True)).all()
    return page(rows, limit, lambda p: (p.received_at, p.id))
