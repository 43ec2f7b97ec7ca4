"""Debtors' personal data in API answers: full for those who need it, masked for the rest."""

from __future__ import annotations

from shared.auth.policy import sees_full_id_number, sees_full_phone
from shared.auth.principal import Principal
from shared.logging import mask_ends, mask_name, mask_phone, mask_text


def mask_id_number(value: str | None) -> str | None:
    """``110101199001011234`` -> ``110101********1234``."""
    if not value:
        return value
    masked = mask_text(value)
    return masked if masked != value else mask_ends(value)


def mask_debtor_name(value: str) -> str:
    return mask_name(value)


def shown_id_number(principal: Principal, value: str | None) -> str | None:
    return value if sees_full_id_number(principal) else mask_id_number(value)


def shown_phone(principal: Principal, value: str | None) -> str | None:
    return value if sees_full_phone(principal) else mask_phone(value)


def shown_name(principal: Principal, value: str) -> str:
    """Whoever sees the full ID number or may dial the phone also sees the name."""
    if sees_full_id_number(principal) or sees_full_phone(principal):
        return value
    return mask_debtor_name(value)
