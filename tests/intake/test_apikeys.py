"""API keys: format, hashing, and the resolver that turns one into a bank principal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from services.intake.apikeys.domain import hash_key, new_key
from services.intake.apikeys.models import ApiKey
from services.intake.apikeys.service import resolve_bank_key
from services.intake.clients.models import Client
from services.intake.migrations import MIGRATIONS
from shared.db import Database, migrate

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass
class FakeRuntime:
    """What the resolver uses of a runtime: the database and the clock."""

    db: Database
    now: list[datetime] = field(default_factory=lambda: [T0])

    def clock(self) -> datetime:
        return self.now[0]


@pytest.fixture
def runtime(database_url: str) -> Iterator[FakeRuntime]:
    db = Database(database_url)
    migrate(db, MIGRATIONS)
    yield FakeRuntime(db)
    db.dispose()


def add_key(runtime: FakeRuntime, client_id: str = "ICBC-SH") -> tuple[str, str]:
    made = new_key()
    with runtime.db.transaction() as session:
        if session.get(Client, client_id) is None:
            session.add(Client(id=client_id, name=client_id, kind="bank", created_at=T0))
            session.flush()
        key_id = f"key-{made.prefix}"
        session.add(
            ApiKey(
                id=key_id,
                client_id=client_id,
                prefix=made.prefix,
                key_hash=made.key_hash,
                label="test",
                created_at=T0,
            )
        )
    return made.key, key_id


def last_used(runtime: FakeRuntime, key_id: str) -> datetime | None:
    with runtime.db.reader() as session:
        value = session.exec(select(ApiKey.last_used_at).where(ApiKey.id == key_id)).one()
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def test_keys_are_random_shaped_and_only_their_hash_is_kept() -> None:
    made = new_key()
    other = new_key()
    assert made.key != other.key
    assert made.key.startswith(f"ck_{made.prefix}_") and len(made.prefix) == 8
    assert made.key_hash == hash_key(made.key) and len(made.key_hash) == 64
    assert made.key not in made.key_hash


def test_a_key_resolves_to_its_bank(runtime: FakeRuntime) -> None:
    key, key_id = add_key(runtime)
    principal = resolve_bank_key(runtime, key)  # type: ignore[arg-type]
    assert principal is not None
    assert (principal.subject, principal.kind, principal.client_id) == (
        f"apikey:{key_id}",
        "bank",
        "ICBC-SH",
    )
    assert principal.role is None


@pytest.mark.parametrize("bad", ["", "ck_", "nonsense", "ck_AAAAAAAA_" + "B" * 35, "x" * 10_000])
def test_unknown_or_malformed_keys_resolve_to_nobody(runtime: FakeRuntime, bad: str) -> None:
    add_key(runtime)
    assert resolve_bank_key(runtime, bad) is None  # type: ignore[arg-type]


def test_revoked_keys_and_inactive_clients_resolve_to_nobody(runtime: FakeRuntime) -> None:
    revoked, revoked_id = add_key(runtime)
    other_bank, _ = add_key(runtime, "CMB-BJ")
    with runtime.db.transaction() as session:
        session.execute(update(ApiKey).where(ApiKey.id == revoked_id).values(revoked_at=T0))
        session.execute(update(Client).where(Client.id == "CMB-BJ").values(active=False))
    assert resolve_bank_key(runtime, revoked) is None  # type: ignore[arg-type]
    assert resolve_bank_key(runtime, other_bank) is None  # type: ignore[arg-type]


def test_last_use_is_written_at_most_once_a_minute(runtime: FakeRuntime) -> None:
    key, key_id = add_key(runtime)
    assert last_used(runtime, key_id) is None
    resolve_bank_key(runtime, key)  # type: ignore[arg-type]
    assert last_used(runtime, key_id) == T0
    runtime.now[0] = T0 + timedelta(seconds=59)
    resolve_bank_key(runtime, key)  # type: ignore[arg-type]
    assert last_used(runtime, key_id) == T0
    runtime.now[0] = T0 + timedelta(seconds=61)
    resolve_bank_key(runtime, key)  # type: ignore[arg-type]
    assert last_used(runtime, key_id) == T0 + timedelta(seconds=61)
