"""Sessions, transactions and schema migrations on SQLite and PostgreSQL.

Every service starts by migrating its own database, possibly as several replicas at
once, and every write goes through ``Database.transaction()``; these tests run against
whichever database ``database_url`` hands out (TEST_POSTGRES=1 for PostgreSQL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from sqlmodel import Field, SQLModel, select

from shared.db import Database, Migration, migrate, service_model_base
from tests.conftest import DatabaseFactory

DbTestBase = service_model_base("dbtest")


class Counter(DbTestBase, table=True):
    __tablename__ = "counters"
    id: int = Field(primary_key=True)
    value: int = 0


LedgerBase = service_model_base("ledger")
OtherBase = service_model_base("other")


class LedgerCase(LedgerBase, table=True):
    __tablename__ = "cases"
    id: int = Field(primary_key=True)
    account_ref: str


class OtherCase(OtherBase, table=True):
    __tablename__ = "cases"
    id: int = Field(primary_key=True)
    collector_id: str
    status: str = "open"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


def tables(db: Database) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def recorded_versions(db: Database) -> list[int]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version FROM schema_migrations ORDER BY version"))
        return [row[0] for row in rows]


def create_table_step(name: str, log: list[str]) -> Callable[[Operations], None]:
    def _apply(op: Operations) -> None:
        log.append(name)
        op.create_table(name, sa.Column("id", sa.Integer, primary_key=True))

    return _apply


# --- migrations -----------------------------------------------------------------------


def test_migrate_applies_steps_in_version_order_once(db: Database) -> None:
    log: list[str] = []
    steps = [
        Migration(3, "third", create_table_step("t3", log)),
        Migration(1, "first", create_table_step("t1", log)),
        Migration(2, "second", create_table_step("t2", log)),
    ]
    assert migrate(db, steps) == [1, 2, 3]
    assert log == ["t1", "t2", "t3"]
    assert {"t1", "t2", "t3", "schema_migrations"} <= tables(db)
    assert recorded_versions(db) == [1, 2, 3]

    assert migrate(db, steps) == []
    assert log == ["t1", "t2", "t3"]
    assert recorded_versions(db) == [1, 2, 3]


def test_a_step_added_later_is_applied_alone(db: Database) -> None:
    log: list[str] = []
    steps = [Migration(1, "first", create_table_step("t1", log))]
    migrate(db, steps)
    later = [*steps, Migration(2, "second", create_table_step("t2", log))]
    assert migrate(db, later) == [2]
    assert log == ["t1", "t2"]
    assert recorded_versions(db) == [1, 2]
    with db.engine.connect() as conn:
        names = dict(conn.execute(sa.text("SELECT version, name FROM schema_migrations")).all())
    assert names == {1: "first", 2: "second"}


def test_duplicate_versions_are_rejected_before_touching_the_database(db: Database) -> None:
    log: list[str] = []
    steps = [
        Migration(1, "a", create_table_step("ta", log)),
        Migration(1, "b", create_table_step("tb", log)),
    ]
    with pytest.raises(ValueError, match="duplicate"):
        migrate(db, steps)
    assert log == []
    assert tables(db) == set()


def _failing_step(op: Operations) -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    raise RuntimeError("step 3 broke")


def test_failing_step_rolls_back_the_whole_run(db: Database) -> None:
    # SQLite's DDL is transactional too, and migrate() runs the whole batch in one
    # BEGIN IMMEDIATE transaction, so both back ends must leave no trace.
    log: list[str] = []
    steps = [
        Migration(1, "first", create_table_step("t1", log)),
        Migration(2, "second", create_table_step("t2", log)),
        Migration(3, "broken", _failing_step),
    ]
    with pytest.raises(RuntimeError, match="step 3 broke"):
        migrate(db, steps)
    assert log == ["t1", "t2"]
    assert tables(db) == set()  # not even schema_migrations, created in the same run

    fixed = [*steps[:2], Migration(3, "fixed", create_table_step("t3", log))]
    assert migrate(db, fixed) == [1, 2, 3]
    assert recorded_versions(db) == [1, 2, 3]


def test_failing_later_step_keeps_earlier_runs(db: Database) -> None:
    log: list[str] = []
    first = [Migration(1, "first", create_table_step("t1", log))]
    migrate(db, first)
    with pytest.raises(RuntimeError):
        migrate(db, [*first, Migration(2, "broken", _failing_step)])
    assert recorded_versions(db) == [1]
    assert "half_done" not in tables(db)
    assert "t1" in tables(db)


# --- transactions ---------------------------------------------------------------------


@pytest.fixture
def counter_db(db: Database) -> Database:
    DbTestBase.metadata.create_all(db.engine)
    with db.transaction() as session:
        session.add(Counter(id=1, value=0))
    return db


def counter_value(db: Database) -> int:
    with db.reader() as session:
        row = session.get(Counter, 1)
        assert row is not None
        return row.value


def test_transaction_commits_on_success(counter_db: Database) -> None:
    with counter_db.transaction() as session:
        row = session.get(Counter, 1)
        assert row is not None
        row.value = 5
        session.add(Counter(id=2, value=7))
    assert counter_value(counter_db) == 5
    with counter_db.reader() as session:
        assert [c.id for c in session.exec(select(Counter).order_by(Counter.id))] == [1, 2]


def test_transaction_rolls_back_on_exception(counter_db: Database) -> None:
    with (
        pytest.raises(RuntimeError, match="handler failed"),
        counter_db.transaction() as session,
    ):
        row = session.get(Counter, 1)
        assert row is not None
        row.value = 99
        session.add(Counter(id=2, value=7))
        session.flush()  # the writes reached the database before the failure
        raise RuntimeError("handler failed")
    assert counter_value(counter_db) == 0
    with counter_db.reader() as session:
        assert session.get(Counter, 2) is None
    with counter_db.transaction() as session:  # the database is usable afterwards
        session.add(Counter(id=2, value=1))
    with counter_db.reader() as session:
        assert session.get(Counter, 2) is not None


# --- per-service metadata -------------------------------------------------------------


def test_each_service_base_has_its_own_metadata() -> None:
    assert LedgerBase.metadata is not OtherBase.metadata
    assert LedgerBase.metadata is not SQLModel.metadata
    assert "cases" not in SQLModel.metadata.tables
    assert set(LedgerBase.metadata.tables["cases"].columns.keys()) == {"id", "account_ref"}
    assert set(OtherBase.metadata.tables["cases"].columns.keys()) == {
        "id",
        "collector_id",
        "status",
    }


def test_same_table_name_in_two_services_does_not_clash(databases: DatabaseFactory) -> None:
    ledger, other = Database(databases.new("ledger")), Database(databases.new("other"))
    try:
        LedgerBase.metadata.create_all(ledger.engine)
        OtherBase.metadata.create_all(other.engine)
        with ledger.transaction() as session:
            session.add(LedgerCase(id=1, account_ref="A1"))
        with other.transaction() as session:
            session.add(OtherCase(id=1, collector_id="c-1"))
        with ledger.reader() as session:
            assert session.get(LedgerCase, 1).account_ref == "A1"  # type: ignore[union-attr]
        with other.reader() as session:
            assert session.get(OtherCase, 1).status == "open"  # type: ignore[union-attr]
        assert tables(ledger) == {"cases"}
        assert tables(other) == {"cases"}
    finally:
        ledger.dispose()
        other.dispose()


# --- SQLite write concurrency ---------------------------------------------------------


@pytest.fixture
def sqlite_counter_db(counter_db: Database) -> Database:
    if not counter_db.is_sqlite:
        pytest.skip("read-then-write locking via BEGIN IMMEDIATE is SQLite's; PostgreSQL uses MVCC")
    return counter_db


def _increment(db: Database) -> int:
    with db.transaction() as session:
        row = session.get(Counter, 1)
        assert row is not None
        seen = row.value
        row.value = seen + 1
    return seen


def test_concurrent_read_then_write_increments_are_exact(sqlite_counter_db: Database) -> None:
    threads, per_thread = 8, 50
    errors: list[BaseException] = []

    def worker() -> None:
        for _ in range(per_thread):
            try:
                _increment(sqlite_counter_db)
            except Exception as exc:
                errors.append(exc)

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    assert errors == []
    assert counter_value(sqlite_counter_db) == threads * per_thread


def test_second_writer_waits_at_begin_and_sees_the_first_commit(
    sqlite_counter_db: Database,
) -> None:
    db = sqlite_counter_db
    first_has_read = threading.Event()
    seen_by_second: list[int] = []

    def second() -> None:
        first_has_read.wait(5)
        seen_by_second.append(_increment(db))

    thread = threading.Thread(target=second)
    thread.start()
    with db.transaction() as session:
        row = session.get(Counter, 1)
        assert row is not None
        first_has_read.set()
        thread.join(0.3)
        assert thread.is_alive()  # blocked at BEGIN IMMEDIATE, not reading a stale 0
        row.value += 1
    thread.join(5)
    assert seen_by_second == [1]
    assert counter_value(db) == 2


def test_reader_is_not_blocked_by_an_open_writer(sqlite_counter_db: Database) -> None:
    db = sqlite_counter_db
    read: list[int] = []
    with db.transaction() as session:
        row = session.get(Counter, 1)
        assert row is not None
        row.value = 10
        session.flush()
        reader = threading.Thread(target=lambda: read.append(counter_value(db)))
        reader.start()
        reader.join(5)
        assert not reader.is_alive()
    assert read == [0]  # it saw the last committed value, without waiting


def test_a_writer_waiting_behind_a_busy_one_gets_its_turn(sqlite_counter_db: Database) -> None:
    """One thread commits back to back (a file import); another thread's single write
    (the outbox relay marking a batch) must not wait for the whole run to end."""
    db = sqlite_counter_db
    busy_started = threading.Event()
    order: list[str] = []

    def busy() -> None:
        for i in range(100):
            with db.transaction() as session:
                row = session.get(Counter, 1)
                assert row is not None
                row.value += 1
                order.append(f"busy-{i}")
                time.sleep(0.005)  # the chunk's work, lock held
            busy_started.set()

    def once() -> None:
        busy_started.wait(5)
        with db.transaction() as session:
            row = session.get(Counter, 1)
            assert row is not None
            row.value += 1000
            order.append("once")

    threads = [threading.Thread(target=busy), threading.Thread(target=once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert counter_value(db) == 100 + 1000
    assert order.index("once") < 10, f"waited behind {order.index('once')} transactions"


def test_execute_many_writes_rows_as_session_execute_would(db: Database) -> None:
    """Dates, decimals and a constant in the conflict clause go through the same bind
    processors; the count is what the database wrote, and an upsert counts its updates."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from shared.db import dialect_insert, execute_many

    metadata = sa.MetaData()
    ledger = sa.Table(
        "ledger_lines",
        metadata,
        sa.Column("ref", sa.String(20), primary_key=True),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen", sa.Integer, nullable=False),
    )
    metadata.create_all(db.engine)
    at = datetime(2026, 12, 4, 8, 30, 15, 123456, tzinfo=UTC)
    rows = [{"ref": f"R{n}", "amount": Decimal("12.34") * n, "at": at, "seen": 1} for n in range(5)]
    with db.transaction() as session:
        assert execute_many(session, ledger.insert(), rows) == 5
    with db.transaction() as session:
        statement = dialect_insert(session)(ledger)
        statement = statement.on_conflict_do_update(
            index_elements=["ref"], set_={"seen": ledger.c.seen + statement.excluded.seen + 10}
        )
        again = [
            {**rows[1], "seen": 2},
            {"ref": "R9", "amount": Decimal("0.01"), "at": at, "seen": 1},
        ]
        assert execute_many(session, statement, again) == 2
    with db.reader() as session:
        got = {r.ref: r for r in session.execute(sa.select(ledger))}
    assert sorted(got) == ["R0", "R1", "R2", "R3", "R4", "R9"]
    assert got["R1"].seen == 13 and got["R2"].seen == 1 and got["R9"].seen == 1
    assert got["R4"].amount == Decimal("49.36")
    stored = got["R9"].at
    assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)) == at
