"""Revoked bank keys: every service keeps its own list, fed by intake's ``BankAccessRevoked``,
and refuses the bank tokens issued for a key on that list at once, not only at expiry.

A bank token's subject names the API key it was exchanged for (``apikey:<key id>``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.bus.handlers import Handled, batched
from shared.db import upsert
from shared.events.catalog import BankAccessRevoked

BANK_SUBJECT_PREFIX = "apikey:"


def bank_subject(key_id: str) -> str:
    return f"{BANK_SUBJECT_PREFIX}{key_id}"


def key_of(principal: Principal) -> str | None:
    """The API key behind a bank principal, if its subject names one."""
    subject = principal.subject
    if not principal.is_bank or not subject.startswith(BANK_SUBJECT_PREFIX):
        return None
    return subject[len(BANK_SUBJECT_PREFIX) :]


def record_revocations(session: Session, table: Table, rows: Sequence[dict[str, object]]) -> None:
    """``{key_id, client_id, revoked_at}`` each; a key revoked twice keeps its first time."""
    upsert(session, table, rows, key=["key_id"])


def is_revoked(session: Session, table: Table, principal: Principal) -> bool:
    key_id = key_of(principal)
    if key_id is None:
        return False
    found = session.execute(select(table.c.key_id).where(table.c.key_id == key_id)).first()
    return found is not None


@batched
def on_revoked(items: Sequence[Handled[BankAccessRevoked]]) -> None:
    uow = items[0][0]
    rows = [
        {
            "key_id": event.payload.key_id,
            "client_id": event.payload.client_id,
            "revoked_at": event.payload.revoked_at,
        }
        for _, event in items
    ]
    record_revocations(uow.session, uow.context.security.revoked_bank_keys, rows)
