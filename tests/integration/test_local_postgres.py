"""LocalPostgres gives a real server, and that server has the row locking the outbox relay
needs: two relays polling the same outbox must each claim different rows, not wait."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shared.devtools.postgres import LocalPostgres

if os.environ.get("TEST_POSTGRES") != "1":
    pytest.skip(
        "starts a PostgreSQL server; runs under `make test-postgres` (TEST_POSTGRES=1)",
        allow_module_level=True,
    )

CLAIM_ONE = sa.text(
    "SELECT id FROM outbox WHERE sent = false ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalPostgres]:
    with LocalPostgres() as pg:
        yield pg


@pytest.fixture
def engine(server: LocalPostgres) -> Iterator[Engine]:
    url = server.create_database("outbox_test")
    # A claim that waits instead of skipping should fail the test, not hang it.
    engine = sa.create_engine(url, connect_args={"options": "-c lock_timeout=2s"})
    try:
        yield engine
    finally:
        engine.dispose()
        server.drop_database("outbox_test")


def _make_outbox(engine: Engine, rows: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE outbox (id integer PRIMARY KEY, payload text NOT NULL,"
                " sent boolean NOT NULL DEFAULT false)"
            )
        )
        conn.execute(
            sa.text("INSERT INTO outbox (id, payload) VALUES (:id, :payload)"),
            [{"id": i, "payload": f"event-{i}"} for i in range(1, rows + 1)],
        )


def test_url_points_at_a_real_postgres_via_psycopg(server: LocalPostgres, engine: Engine) -> None:
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.url.host == "127.0.0.1"
    assert engine.url.port == server.port
    assert engine.url.database == "outbox_test"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SHOW server_version_num")).scalar_one().isdigit()
        assert conn.execute(sa.text("SHOW fsync")).scalar_one() == "off"


def test_row_written_is_read_back_from_another_connection(engine: Engine) -> None:
    _make_outbox(engine, rows=1)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE outbox SET payload = :p WHERE id = 1"), {"p": "ünïcode ✓"})

    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT id, payload, sent FROM outbox")).one()
    assert tuple(row) == (1, "ünïcode ✓", False)


def test_skip_locked_hands_two_connections_different_rows(engine: Engine) -> None:
    _make_outbox(engine, rows=2)
    with engine.connect() as first, engine.connect() as second, engine.connect() as third:
        assert first.execute(CLAIM_ONE).scalar_one() == 1

        with pytest.raises(sa.exc.OperationalError, match="could not obtain lock"):
            second.execute(sa.text("SELECT id FROM outbox WHERE id = 1 FOR UPDATE NOWAIT"))
        second.rollback()

        assert second.execute(CLAIM_ONE).scalar_one() == 2
        assert third.execute(CLAIM_ONE).scalar_one_or_none() is None

        first.execute(sa.text("UPDATE outbox SET sent = true WHERE id = 1"))
        first.commit()
        second.rollback()
        third.rollback()
        assert third.execute(CLAIM_ONE).scalar_one() == 2
        third.rollback()


def test_drop_database_ends_open_sessions_and_stop_removes_files() -> None:
    with LocalPostgres() as pg:
        base: Path = pg.base_dir
        engine = sa.create_engine(pg.create_database("short_lived"), poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as held_open:
                pg.drop_database("short_lived")
                with pytest.raises(sa.exc.DBAPIError):
                    held_open.execute(sa.text("SELECT 1"))
        finally:
            engine.dispose()
        assert base.exists()
    assert not base.exists()
