"""Clients' API keys: made once and kept only as a hash, revoked at once, and resolved to
a bank principal on each request. The use cases never commit: the request's unit of work
does."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from services.intake.apikeys import store
from services.intake.apikeys.domain import (
    LAST_USED_EVERY,
    NewKey,
    bank_principal,
    hash_key,
    last_use_due,
    looks_like_key,
    new_key,
)
from services.intake.apikeys.models import ApiKey
from services.intake.clients import store as clients
from services.intake.models import SECURITY
from shared.auth.principal import Principal
from shared.auth.revocation import record_revocations
from shared.bus.work import UnitOfWork
from shared.errors import NotFound
from shared.events.catalog import BankAccessRevoked
from shared.logging import get_logger

if TYPE_CHECKING:
    from shared.runtime import Runtime

log = get_logger(__name__)


def create_api_key(uow: UnitOfWork, client_id: str, label: str) -> tuple[ApiKey, NewKey]:
    """A new key for the client; the caller shows ``NewKey.key`` once and never again."""
    if clients.get_client(uow.session, client_id) is None:
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
        revoked = {"key_id": api_key.id, "client_id": client_id, "revoked_at": uow.now}
        record_revocations(uow.session, SECURITY.revoked_bank_keys, [revoked])
        uow.emit(BankAccessRevoked(**revoked), case_id=None)
    return api_key


def resolve_bank_key(runtime: Runtime, key: str) -> Principal | None:
    """The bank behind an ``X-API-Key``, or None for an unknown or revoked key or an
    inactive client."""
    key = key.strip()
    if not looks_like_key(key):
        return None
    digest = hash_key(key)
    with runtime.db.reader() as session:
        found = store.key_by_hash(session, digest)
    if found is None:
        return None
    api_key, client_active = found
    if not hmac.compare_digest(api_key.key_hash, digest):
        return None
    if api_key.revoked_at is not None or not client_active:
        return None
    now = runtime.clock()
    if last_use_due(api_key.last_used_at, now):
        _touch(runtime, api_key.id, now)
    return bank_principal(api_key.client_id, api_key.id)


def _touch(runtime: Runtime, key_id: str, now: datetime) -> None:
    """Record the key's use, at most once a minute."""
    try:
        with runtime.db.transaction() as session:
            store.touch_key(session, key_id, now, LAST_USED_EVERY)
    except Exception as exc:  # bookkeeping only: never refuse a valid key over it
        log.warning("api_key_last_used_not_recorded", key_id=key_id, error=str(exc)[:200])
