"""Clients' API keys: how one is made, hashed and recognised, and when its use is recorded.

A key looks like ``ck_<prefix>_<secret>``: 32 random bytes (URL-safe base64) behind the
``ck_`` marker, the first 8 of them repeated in listings as the ``prefix`` so people can
tell their keys apart. Only the SHA-256 of the whole key is stored: the key carries 256
bits of randomness, so a plain hash cannot be reversed by guessing, and looking it up by
its hash needs no per-key salt.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.auth.principal import Principal
from shared.auth.revocation import bank_subject

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


def looks_like_key(key: str) -> bool:
    return _KEY_SHAPE.match(key) is not None


def bank_principal(client_id: str, key_id: str) -> Principal:
    return Principal(subject=bank_subject(key_id), kind="bank", client_id=client_id)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def last_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or _aware(now) - _aware(last_used_at) >= LAST_USED_EVERY
