"""Intake's use cases. They never commit: the request's unit of work does."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from services.intake import store
from services.intake.apikeys import NewKey, new_key
from services.intake.models import ApiKey, Client
from shared.bus.work import UnitOfWork
from shared.errors import Conflict, NotFound


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


def create_api_key(uow: UnitOfWork, client_id: str, label: str) -> tuple[ApiKey, NewKey]:
    """A new key for the client; the caller shows ``NewKey.key`` once and never again."""
    if store.get_client(uow.session, client_id) is None:
        raise NotFound("client")
    made = new_key()
    api_key = ApiKey(
        id=str(uuid.uuid4()),
        client_id=client_id,
        prefix=made.prefix,
        key_hash=made.key_hash,
        label=label,
        created_at=uow.now,
    )
    uow.session.add(api_key)
    uow.session.flush()
    return api_key, made


def revoke_api_key(uow: UnitOfWork, client_id: str, key_id: str) -> ApiKey:
    """Revoke a key at once; revoking it again changes nothing."""
    api_key = store.get_key(uow.session, client_id, key_id)
    if api_key is None:
        raise NotFound("API key")
    if api_key.revoked_at is None:
        api_key.revoked_at = uow.now
        uow.session.add(api_key)
    return api_key
