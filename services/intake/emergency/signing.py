"""Signing notifications the Standard Webhooks way (https://www.standardwebhooks.com/):
``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``, which is
``v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>``; during a secret's grace
period the header carries one signature per valid secret, separated by spaces. Pure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A client's signing secret: 32 random bytes, shown as ``whsec_<base64>``."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(
    secrets_in_force: Sequence[str], message_id: str, at: datetime, body: bytes
) -> dict[str, str]:
    """The headers of one delivery attempt, signed with every secret still valid."""
    timestamp = int(at.timestamp())
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(s, message_id, timestamp, body) for s in secrets_in_force
        ),
    }
