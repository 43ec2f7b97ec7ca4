"""The blacklist's key for a debtor: a keyed hash of the ID number, never the number."""

from __future__ import annotations

import hashlib
import hmac


def normalized_id_number(id_number: str) -> str:
    """Spaces dropped and the check character ``x`` upper-cased, as ID cards print it."""
    return "".join(id_number.split()).upper()


def debtor_key(secret: bytes, id_number: str | None) -> str | None:
    """HMAC-SHA256 of the normalised number: without the secret, a leaked table cannot be
    reversed by hashing the (small) space of possible ID numbers."""
    if not id_number or not (number := normalized_id_number(id_number)):
        return None
    return hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()
