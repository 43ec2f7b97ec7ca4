"""Engines, sessions and schema migrations: SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult, Engine, Result, make_url
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import registry
from sqlmodel import Session, SQLModel, create_engine

from shared.clock import utc_now
from shared.money import ScaledInteger


def service_model_base(name: str) -> type[SQLModel]:
    """A SQLModel base with its own metadata, so each service's tables stay its own."""
    return type(f"{name}Table", (SQLModel,), {}, registry=registry(metadata=MetaData()))


DEFAULT_BUSY_TIMEOUT_MS = 30_000

# A SQLite connection is a file handle: keep enough for every worker thread (AnyIO's 40,
# the relay's and consumers') so a request never waits for one, and none is closed and
# opened again (four PRAGMAs) under load, as the default five would be.
SQLITE_POOL_SIZE, SQLITE_POOL_OVERFLOW = 48, 32


def make_engine(
    url: str, *, echo: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> Engine:
    """``busy_timeout_ms``: how long a statement waits for a lock another writer holds
    (SQLite's busy timeout, PostgreSQL's ``lock_timeout``) before it fails with an
    ``OperationalError``, which consumers and relays treat as transient: they roll back,
    back off and try the same work again, so a long lock never commits anything early."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        on_disk = path is not None and path not in ("", ":memory:")
        if path is not None and on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_OVERFLOW}
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
            **(pool if on_disk else {}),
        )
        _tune_sqlite(engine, busy_timeout_ms)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"options": f"-c lock_timeout={busy_timeout_ms}"},
    )


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL for concurrent readers; write transactions start IMMEDIATE.

    pysqlite opens transactions lazily as DEFERRED: a transaction that reads and then
    writes has to upgrade its lock, and the busy timeout does not cover that upgrade,
    so under concurrency it fails at once with "database is locked". Starting every
    write transaction IMMEDIATE makes it wait for the lock at BEGIN instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


class WritersInTurn:
    """Write transactions of one process take turns, first come first served.

    SQLite has one write lock per database. A thread that commits and at once begins its
    next transaction (a file import, chunk after chunk) wins the lock again before a
    waiting thread's busy handler wakes up, so the outbox relay or a consumer can starve
    for as long as the import lasts. Queueing the process's writers here, in arrival
    order, hands the lock over in turn. Re-entrant for the thread that holds it.
    """

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> WritersInTurn:
        me = threading.get_ident()
        with self._turns:
            if self._owner == me:
                self._depth += 1
                return self
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._turns.wait()
            self._owner, self._depth = me, 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._turns:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._serving += 1
                self._turns.notify_all()


class Database:
    """The one way to get sessions. Only the boundary (request or consumer) commits."""

    def __init__(
        self, url: str, *, echo: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
    ) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo, busy_timeout_ms=busy_timeout_ms)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._reader = (
            self.engine.execution_options(sqlite_begin="DEFERRED")
            if self.is_sqlite
            else self.engine
        )
        self._writers: AbstractContextManager[object] = (
            WritersInTurn() if self.is_sqlite else nullcontext()
        )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write unit of work: commits on success, rolls back on any error."""
        with self._writers, Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reader(self) -> Iterator[Session]:
        with Session(self._reader, expire_on_commit=False) as session:
            yield session

    def ping(self) -> bool:
        try:
            with self._reader.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True)
class Migration:
    """One numbered, forward-only schema step of a service, written with Alembic operations."""

    version: int
    name: str
    apply: Callable[[Operations], None]


def create_tables(metadata: MetaData, *names: str) -> Callable[[Operations], None]:
    """A migration step that creates the named tables as the models define them today."""

    def _apply(op: Operations) -> None:
        metadata.create_all(op.get_bind(), tables=[metadata.tables[n] for n in names])

    return _apply


def add_missing_columns(op: Operations, table: str, *columns: Column[Any]) -> None:
    """Add the columns a database made before this step lacks (step 1 creates tables as
    the models define them today, so a fresh database has them already)."""
    present = {c["name"] for c in inspect(op.get_bind()).get_columns(table)}
    for column in columns:
        if column.name not in present:
            op.add_column(table, column)


def exact_numbers(metadata: MetaData) -> Callable[[Operations], None]:
    """A migration step that turns every `Money` and `Rate` column of ``metadata`` still
    stored as ``NUMERIC`` into whole units (fen, millionths) in a ``BIGINT``.

    PostgreSQL converts in place, exactly. SQLite (no ``ALTER COLUMN``) gets a new column
    filled with ``ROUND(value × 10^places)``, the old one dropped and the new one renamed:
    SQLite kept the old values as binary floats, which round back to the fen they were
    written as for any amount below 10^13 yuan. A database whose columns are whole units
    already (made since, or converted) is left alone.
    """

    def _apply(op: Operations) -> None:
        bind = op.get_bind()
        inspector = inspect(bind)
        present = set(inspector.get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            found = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if not isinstance(column.type, ScaledInteger) or column.name not in found:
                    continue
                if isinstance(found[column.name], Integer):
                    continue
                _to_whole_units(op, table.name, column, column.type.places)

    return _apply


def _to_whole_units(op: Operations, table: str, column: Column[Any], places: int) -> None:
    name = column.name
    scaled = f'ROUND("{name}" * {10**places})'
    if op.get_bind().dialect.name != "sqlite":
        op.execute(
            text(f'ALTER TABLE "{table}" ALTER COLUMN "{name}" TYPE BIGINT USING {scaled}::bigint')
        )
        return
    new = f"{name}__whole"
    not_null = "" if column.nullable else " NOT NULL DEFAULT 0"
    op.execute(text(f'ALTER TABLE "{table}" ADD COLUMN "{new}" BIGINT{not_null}'))
    op.execute(text(f'UPDATE "{table}" SET "{new}" = CAST({scaled} AS INTEGER)'))
    op.execute(text(f'ALTER TABLE "{table}" DROP COLUMN "{name}"'))
    op.execute(text(f'ALTER TABLE "{table}" RENAME COLUMN "{new}" TO "{name}"'))


_versions = Table(
    "schema_migrations",
    MetaData(),
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def migrate(db: Database, migrations: list[Migration]) -> list[int]:
    """Apply the pending migrations in order, once, even with several replicas starting together.

    Alembic's operations without its script directory: each service keeps its steps as
    plain Python in ``migrations.py``, and the same steps run on SQLite and PostgreSQL.
    """
    ordered = sorted(migrations, key=lambda m: m.version)
    if len({m.version for m in ordered}) != len(ordered):
        raise ValueError("duplicate migration version")
    applied_now: list[int] = []
    with db.engine.begin() as conn:
        if not db.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(724611)"))
        _versions.create(conn, checkfirst=True)
        done = set(conn.execute(select(_versions.c.version)).scalars())
        op = Operations(MigrationContext.configure(conn))
        for step in ordered:
            if step.version in done:
                continue
            step.apply(op)
            conn.execute(
                _versions.insert().values(
                    version=step.version, name=step.name, applied_at=utc_now()
                )
            )
            applied_now.append(step.version)
    return applied_now


def affected(result: Result[Any]) -> int:
    """How many rows an ``UPDATE`` or ``DELETE`` touched (its result is a cursor's)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)


def dialect_insert(session: OrmSession) -> Callable[[Table], Any]:
    """The insert construct with ``ON CONFLICT`` for the session's database."""
    return sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert


def upsert(
    session: OrmSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    key: Sequence[str],
    changes: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    """``INSERT … ON CONFLICT (key) DO UPDATE`` for many rows at once, on SQLite and
    PostgreSQL alike: the set-based write that consumers' batched handlers use (one
    cached statement, its rows sent as a batch).

    ``changes`` receives the incoming row (``excluded``) and returns the columns to set on
    a row that exists; without it, existing rows are left alone. Of several rows with the
    same key, the last wins (one statement may not touch a row twice).
    """
    if not rows:
        return
    if len(key) == 1:
        (name,) = key
        latest = {row[name]: row for row in rows}
    else:
        latest = {tuple(row[k] for k in key): row for row in rows}
    statement = dialect_insert(session)(table)
    if changes is None:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    else:
        statement = statement.on_conflict_do_update(
            index_elements=list(key), set_=changes(statement.excluded)
        )
    execute_many(session, statement, list(latest.values()))


def execute_many(session: OrmSession, statement: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Run a write statement once per row, the rows sent to the driver's ``executemany``:
    the one way hot bulk writes (outbox, read-model upserts) are sent.

    SQLAlchemy assembles every row's parameters through its general path (a dict per
    row, checked and re-keyed); here the statement is compiled once for the rows' keys
    and each row becomes the driver's parameters directly, through the same bind
    processors (dates, decimals, money) SQLAlchemy applies. Statements that need more than
    that (Python-side defaults, ``RETURNING``, expanding parameters) and rows of
    differing keys go through ``session.execute`` as before. Every row must have the
    first row's keys. Returns how many rows the database says were written.
    """
    if not rows:
        return 0
    connection = session.connection()
    keys = list(rows[0])
    compiled = _compiled(statement, connection.dialect, keys, len(rows) > 1)
    if (
        compiled.insert_prefetch
        or compiled.update_prefetch
        or compiled.effective_returning
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or any(len(row) != len(keys) for row in rows)
    ):
        return int(session.execute(statement, rows).rowcount)  # type: ignore[attr-defined]
    processors = compiled._bind_processors
    fixed = compiled.construct_params(rows[0], escape_names=False)
    names = list(compiled.positiontup) if compiled.positional else list(fixed)
    by_key = {name: bind.key for bind, name in compiled.bind_names.items()}
    columns = [
        _bound_column(rows, by_key.get(name), fixed.get(name), processors.get(name))
        for name in names
    ]
    parameters: list[Any]
    if not columns:
        parameters = [() if compiled.positional else {}] * len(rows)
    elif compiled.positional:
        parameters = list(zip(*columns, strict=True))
    else:
        escaped = compiled.escaped_bind_names
        bound = [escaped.get(name, name) for name in names]
        parameters = [
            dict(zip(bound, values, strict=True)) for values in zip(*columns, strict=True)
        ]
    return int(connection.exec_driver_sql(compiled.string, parameters).rowcount)


def _bound_column(
    rows: Sequence[dict[str, Any]],
    key: str | None,
    fixed: Any,
    process: Callable[[Any], Any] | None,
) -> list[Any]:
    """One parameter's value for every row, as the driver takes it.

    Built a column at a time: a value the statement carries itself (``key`` None) and a
    value every row shares (the transaction's clock reading in each inbox and outbox row)
    go through their bind processor once, not once a row."""
    if key is None or key not in rows[0]:
        return [process(fixed) if process else fixed] * len(rows)
    values = [row[key] for row in rows]
    if process is None:
        return values
    first = values[0]
    if all(value is first for value in values):
        return [process(first)] * len(values)
    return [process(value) for value in values]


_COMPILED: dict[Any, Any] = {}
_COMPILED_KEPT = 512


def _compiled(statement: Any, dialect: Any, keys: list[str], many: bool) -> Any:
    """``statement`` compiled for ``keys``, remembered for statements that carry no values
    of their own (a one-row outbox insert otherwise compiles its statement every time,
    more than the insert costs). One with bound values is compiled afresh, since a
    remembered compilation would carry the first one's values."""
    cache_key = statement._generate_cache_key()
    if cache_key is None or cache_key.bindparams:
        return statement.compile(dialect=dialect, column_keys=keys, for_executemany=many)
    key = (dialect, cache_key.key, tuple(keys), many)
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) >= _COMPILED_KEPT:
            _COMPILED.clear()
        found = statement.compile(dialect=dialect, column_keys=keys, for_executemany=many)
        _COMPILED[key] = found
    return found
