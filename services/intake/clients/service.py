"""Registering a client (back office). Never commits: the request's unit of work does."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from services.intake.clients import store
from services.intake.clients.models import Client
from shared.bus.work import UnitOfWork
from shared.errors import Conflict


def register_client(uow: UnitOfWork, client_id: str, name: str, kind: str) -> Client:
    if store.get_client(uow.session, client_id) is not None:
        raise Conflict(f"client {client_id} is already registered")
    client = Client(id=client_id, name=name, kind=kind, created_at=uow.now, active=True)
    uow.session.add(client)
    try:
        uow.session.flush()
    except IntegrityError as exc:  # registered concurrently
        raise Conflict(f"client {client_id} is already registered") from exc
    return client
