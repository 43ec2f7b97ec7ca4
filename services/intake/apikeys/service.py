"""Clients' API keys: made once, kept only as a hash, resolved to a bank principal.

A key looks like ``ck_<prefix>_<secret>``: 32 random bytes (URL-safe base64) behind the
``ck_`` marker, the first 8 of them repeated in listings as the ``prefix`` so people can
tell their keys apart. Only the SHA-256 of the whole key is stored: the key carries 256
bits of randomness, so a plain hash cannot be reversed by guessing, and looking it up by
its hash needs no per-key salt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from services.intake import store
from services.intake.models import ApiKey
from shared.auth.principal import Principal
from shared.auth.revocation import bank_subject
from shared.logging import get_logger

if TYPE_CHECKING:
    from shared.runtime import Runtime

log = get_logger(__name__)

KEY_MARKER = "ck_"
PREFIX_LENGTH = 8
# Keys last seen longer ago than this get their ``last_used_at`` written; others do not,
# so a busy bank does not turn every request into a write.
LAST_USED_EVERY = timedelta(minutes=1)
_KEY_SHAPE = re.compile(r"^ck_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class NewKey:
    key: str
    prefix: str
    key_hash: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> NewKey:
    token = secrets.token_urlsafe(32)
    prefix = token[:PREFIX_LENGTH]
    key = f"{KEY_MARKER}{prefix}_{token[PREFIX_LENGTH:]}"
    return NewKey(key=key, prefix=prefix, key_hash=hash_key(key))


def bank_principal(api_key: ApiKey) -> Principal:
    return Principal(subject=bank_subject(api_key.id), kind="bank", client_id=api_key.client_id)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def last_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or _aware(now) - _aware(last_used_at) >= LAST_USED_EVERY


def resolve_bank_key(runtime: Runtime, key: str) -> Principal | None:
    """The bank behind an ``X-API-Key``, or None for an unknown or revoked key or an
    inactive client."""
    key = key.strip()
    if not _KEY_SHAPE.match(key):
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
    return bank_principal(api_key)


def _touch(runtime: Runtime, key_id: str, now: datetime) -> None:
    """Record the key's use, at most once a minute."""
    try:
        with runtime.db.transaction() as session:
            store.touch_key(session, key_id, now, LAST_USED_EVERY)
    except Exception as exc:  # bookkeeping only: never refuse a valid key over it
        log.warning("api_key_last_used_not_recorded", key_id=key_id, error=str(exc)[:200])
