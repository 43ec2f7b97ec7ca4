"""Clients' queries."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.intake.clients.models import Client
from shared.web.paging import keyset, page


def get_client(session: Session, client_id: str) -> Client | None:
    return session.get(Client, client_id)


def page_clients(
    session: Session, limit: int, after: str | None
) -> tuple[list[Client], str | None]:
    rows = session.exec(keyset(select(Client), [col(Client.id)], limit, after)).all()
    return page(rows, limit, lambda c: (c.id,))
