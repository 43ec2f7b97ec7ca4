"""The outbox, inbox and dead-letter tables, added to each service's own metadata."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from shared.db import Database, add_missing_columns


@dataclass(frozen=True)
class BusTables:
    outbox: Table
    inbox: Table
    dead_letters: Table | None = None


def bus_tables(metadata: MetaData) -> BusTables:
    outbox = Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("message_key", String(200), nullable=True),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("partition", Integer, nullable=True),
        Column("offset", BigInteger, nullable=True),
        Column("broker_cluster", String(64), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
        Index("ix_outbox_pending", "published_at", "id"),
        Index("ix_outbox_topic_partition", "topic", "partition"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(64), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        # sha256 of where it was delivered and its bytes: a redelivered batch records it once
        Column("fingerprint", String(64), nullable=False),
        Column("event_id", String(36), nullable=True),  # None: the bytes did not decode
        Column("event_type", String(64), nullable=False),
        Column("topic", String(200), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("message_key", String(200), nullable=True),
        Column("body", LargeBinary, nullable=False),
        Column("error", Text, nullable=False),
        Column("dead_lettered_at", DateTime(timezone=True), nullable=False),
        Column("status", String(12), nullable=False),
        Column("replays", Integer, nullable=False, default=0),
        Column("resolved_at", DateTime(timezone=True), nullable=True),
        Column("resolved_by", String(64), nullable=True),
        Column("reason", Text, nullable=True),
        UniqueConstraint("fingerprint", name="uq_dead_letters_fingerprint"),
        Index("ix_dead_letters_status", "status", "id"),
    )
    return BusTables(outbox=outbox, inbox=inbox, dead_letters=dead_letters)


def upgrade_bus_tables(db: Database, tables: BusTables) -> None:
    """Add the bus columns a database made before them lacks.

    The outbox and inbox are the bus's tables in every service, so their additive upkeep
    lives here rather than as a numbered step in each service's migrations.
    """
    with db.engine.begin() as conn:
        if not db.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(724612)"))
        op = Operations(MigrationContext.configure(conn))
        add_missing_columns(op, tables.outbox.name, Column("broker_cluster", String(64)))
