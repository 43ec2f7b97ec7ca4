"""What a running service holds: its database, outbox relay, consumers and clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import MetaData

from shared.auth.keys import PublicKeyRing
from shared.auth.principal import Principal
from shared.auth.tables import SecurityTables
from shared.auth.visibility import with_visibility
from shared.auth.web import Authenticator
from shared.bus.consumer import ConsumerConfig, ConsumerRunner, Handler
from shared.bus.outbox import Outbox
from shared.bus.relay import OutboxRelay, RelayConfig
from shared.bus.tables import BusTables
from shared.bus.work import UnitOfWork
from shared.clock import Clock, utc_now
from shared.db import Database, Migration, migrate
from shared.logging import get_logger
from shared.settings import ServiceSettings

log = get_logger(__name__)


@dataclass
class ServiceParts:
    """The pieces a service brings; the runtime wires them the same way for every service."""

    settings: ServiceSettings
    metadata: MetaData
    tables: BusTables
    security: SecurityTables
    migrations: list[Migration]
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    bank_keys: Callable[[Runtime, str], Principal | None] | None = None
    on_migrated: Callable[[Runtime], None] | None = None
    subscriptions: tuple[str, ...] = ()
    clock: Clock = utc_now


class Runtime:
    def __init__(self, parts: ServiceParts) -> None:
        settings = parts.settings
        self.settings = settings
        self.parts = parts
        self.clock = parts.clock
        self.db = Database(settings.database_url)
        self.outbox = Outbox(parts.tables)
        self.migrated = False
        bank_keys = parts.bank_keys
        self.authenticator = Authenticator(
            PublicKeyRing(settings.key_dir, settings.auth_public_keys),
            (lambda key: bank_keys(self, key)) if bank_keys else None,
        )
        self.relay = OutboxRelay(
            self.db,
            parts.tables,
            RelayConfig(
                service=settings.service_name,
                bootstrap_servers=settings.kafka_bootstrap_servers,
                batch_size=settings.relay_batch_size,
                idle_seconds=settings.relay_idle_seconds,
                check_broker_seconds=settings.relay_check_broker_seconds,
                retention=timedelta(days=settings.outbox_retention_days),
                request_timeout_ms=settings.kafka_request_timeout_ms,
            ),
            clock=self.clock,
        )
        self.consumer: ConsumerRunner | None = None
        if parts.subscriptions:
            self.consumer = ConsumerRunner(
                self.db,
                parts.tables,
                with_visibility(parts.security.case_visibility, dict(parts.handlers)),
                ConsumerConfig(
                    service=settings.service_name,
                    bootstrap_servers=settings.kafka_bootstrap_servers,
                    topics=parts.subscriptions,
                    batch_size=settings.consumer_batch_size,
                    request_timeout_ms=settings.kafka_request_timeout_ms,
                    session_timeout_ms=settings.kafka_session_timeout_ms,
                ),
                clock=self.clock,
                on_emit=self.relay.wake,
            )

    @contextmanager
    def work(self, correlation_id: str | None = None) -> Iterator[UnitOfWork]:
        """One write transaction; events emitted in it leave through the outbox after commit."""
        with self.db.transaction() as session:
            uow = UnitOfWork(
                session=session, now=self.clock(), outbox=self.outbox, correlation_id=correlation_id
            )
            yield uow
            uow.write_events()
        if uow.emitted:
            self.relay.wake()

    async def run(self, stop: asyncio.Event) -> None:
        """Migrate (retrying while the database is away), then run relay and consumers."""
        backoff = 0.5
        while not stop.is_set() and not self.migrated:
            try:
                applied = await asyncio.to_thread(migrate, self.db, self.parts.migrations)
                if self.parts.on_migrated is not None:
                    await asyncio.to_thread(self.parts.on_migrated, self)
                self.migrated = True
                log.info("schema_ready", applied=applied)
            except Exception as exc:
                log.warning("database_unavailable", error=str(exc)[:300], retry_in=backoff)
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, 10.0)
        if stop.is_set():
            return
        tasks = [self.relay.run(stop)]
        if self.consumer is not None:
            tasks.append(self.consumer.run(stop))
        await asyncio.gather(*tasks)

    async def readiness(self) -> dict[str, bool]:
        checks = {
            "schema": self.migrated,
            "database": await asyncio.to_thread(self.db.ping),
            "broker": await self.relay.broker_reachable(),
        }
        if self.consumer is not None:
            checks["consumer"] = self.consumer.connected
        return checks
