"""API keys' queries: a client's keys, the key behind a hash, its last use."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from services.intake.apikeys.models import ApiKey
from services.intake.clients.models import Client


def keys_of_client(session: Session, client_id: str) -> list[ApiKey]:
    return list(
        session.exec(
            select(ApiKey)
            .where(ApiKey.client_id == client_id)
            .order_by(col(ApiKey.created_at), col(ApiKey.id))
        ).all()
    )


def get_key(session: Session, client_id: str, key_id: str) -> ApiKey | None:
    key = session.get(ApiKey, key_id)
    return key if key is not None and key.client_id == client_id else None


def key_by_hash(session: Session, key_hash: str) -> tuple[ApiKey, bool] | None:
    """The API key with this hash and whether its client is active."""
    found = session.exec(
        select(ApiKey, Client.active)
        .join(Client, Client.id == ApiKey.client_id)  # type: ignore[arg-type]
        .where(ApiKey.key_hash == key_hash)
    ).first()
    return None if found is None else (found[0], bool(found[1]))


def touch_key(session: Session, key_id: str, now: datetime, every: timedelta) -> None:
    """Record a key's use, unless it was recorded less than ``every`` ago (the condition
    keeps concurrent replicas to one write per period)."""
    table = ApiKey.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(
            table.c.id == key_id,
            or_(table.c.last_used_at.is_(None), table.c.last_used_at <= now - every),
        )
        .values(last_used_at=now)
    )
