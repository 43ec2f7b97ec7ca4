"""The wiring of a running service: its database, outbox relay, consumer and clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import MetaData, Table

from shared.auth.audit import AuditTrail
from shared.auth.keys import PublicKeyRing
from shared.auth.principal import Principal
from shared.auth.revocation import is_revoked
from shared.auth.tables import SecurityTables
from shared.auth.web import Authenticator
from shared.bus.apply import BatchOutcome, dispatch
from shared.bus.consumer import ConsumerConfig, ConsumerRunner
from shared.bus.handlers import HandlerTable
from shared.bus.outbox import Outbox
from shared.bus.relay import OutboxRelay, RelayConfig
from shared.bus.retention import BusRetention
from shared.bus.tables import BusTables, upgrade_bus_tables
from shared.bus.work import Transaction, UnitOfWork
from shared.clock import Clock, shifted, utc_now
from shared.context import ServiceContext
from shared.db import Database, Migration, migrate
from shared.events import Envelope
from shared.faults import arm as arm_faults
from shared.heap import settle_after_start
from shared.logging import get_logger
from shared.purge.plan import PurgePlan
from shared.settings import ServiceSettings

log = get_logger(__name__)


@dataclass
class ServiceParts:
    """The pieces a service brings; the runtime wires them the same way for every service.

    ``handlers`` is the service's subscription table (event class -> handlers, in
    running order), used as given: it lists the shared pairs too (case visibility first,
    token revocation, the working-day calendar, the purge order). The topics it consumes
    follow from it. What its handlers need beyond the session reaches them as
    ``uow.context`` (:class:`~shared.context.ServiceContext`): these parts' settings,
    security tables, purge plan, working-day table and ``extras``.
    """

    settings: ServiceSettings
    metadata: MetaData
    tables: BusTables
    security: SecurityTables
    migrations: list[Migration]
    handlers: HandlerTable = field(default_factory=dict)
    bank_keys: Callable[[Runtime, str], Principal | None] | None = None
    on_migrated: Callable[[Runtime], None] | None = None
    readiness_details: Callable[[Runtime], dict[str, Any]] | None = None
    clock: Clock = utc_now
    purge: PurgePlan | None = None
    workdays: Table | None = None
    extras: tuple[object, ...] = ()


class Runtime:
    def __init__(self, parts: ServiceParts) -> None:
        settings = parts.settings
        arm_faults(settings.service_name)
        self.settings = settings
        self.parts = parts
        self.clock = shifted(parts.clock, settings.clock_offset_days)
        self.db = Database(settings.database_url, busy_timeout_ms=settings.database_busy_timeout_ms)
        self.outbox = Outbox(parts.tables)
        self.migrated = False
        bank_keys = parts.bank_keys
        self.authenticator = Authenticator(
            PublicKeyRing(
                settings.key_dir,
                settings.auth_public_keys,
                bank_pem_text=settings.auth_bank_public_keys,
            ),
            (lambda key: bank_keys(self, key)) if bank_keys else None,
            self._bank_key_revoked,
        )
        self.context = ServiceContext(
            settings=settings,
            security=parts.security,
            purge=parts.purge,
            workdays=parts.workdays,
            extras=parts.extras,
        )
        self.handlers = parts.handlers
        self.retention = BusRetention(
            self.db,
            parts.tables,
            outbox_window=timedelta(days=settings.outbox_retention_days),
            inbox_window=timedelta(days=settings.inbox_retention_days),
            service=settings.service_name,
            clock=self.clock,
        )
        self.audit = AuditTrail(self.db, parts.security.audit_log, self.clock)
        self.relay = OutboxRelay(
            self.db,
            parts.tables,
            RelayConfig(
                service=settings.service_name,
                bootstrap_servers=settings.kafka_bootstrap_servers,
                batch_size=settings.relay_batch_size,
                idle_seconds=settings.relay_idle_seconds,
                check_broker_seconds=settings.relay_check_broker_seconds,
                request_timeout_ms=settings.kafka_request_timeout_ms,
            ),
            clock=self.clock,
            maintenance=self.retention.run_once,
        )
        self.consumer: ConsumerRunner | None = None
        if self.handlers:
            self.consumer = ConsumerRunner(
                self.db,
                parts.tables,
                self.handlers,
                ConsumerConfig(
                    service=settings.service_name,
                    bootstrap_servers=settings.kafka_bootstrap_servers,
                    batch_size=settings.consumer_batch_size,
                    request_timeout_ms=settings.kafka_request_timeout_ms,
                    session_timeout_ms=settings.kafka_session_timeout_ms,
                ),
                clock=self.clock,
                on_emit=self.relay.wake,
                context=self.context,
            )

    def _bank_key_revoked(self, principal: Principal) -> bool:
        with self.db.reader() as session:
            return is_revoked(session, self.parts.security.revoked_bank_keys, principal)

    @contextmanager
    def work(self, correlation_id: str | None = None) -> Iterator[UnitOfWork]:
        """One write transaction; events emitted in it leave through the outbox after commit."""
        with self.db.transaction() as session:
            transaction = Transaction(
                session=session, now=self.clock(), outbox=self.outbox, context=self.context
            )
            uow = UnitOfWork(transaction, correlation_id=correlation_id)
            yield uow
            emitted = transaction.write_events()
        if emitted:
            self.relay.wake()

    def dispatch(self, events: Iterable[Envelope[Any]]) -> BatchOutcome:
        """Run this service's handlers over ``events`` on its database, as its consumer
        would, without a broker (for handler tests and replays)."""
        return dispatch(
            self.db, self.parts.tables, self.handlers, events, self.clock, context=self.context
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Migrate (retrying while the database is away), then run relay and consumers."""
        backoff = 0.5
        while not stop.is_set() and not self.migrated:
            try:
                applied = await asyncio.to_thread(migrate, self.db, self.parts.migrations)
                await asyncio.to_thread(upgrade_bus_tables, self.db, self.parts.tables)
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
        settle_after_start()
        tasks = [self.relay.run(stop), self.audit.run(stop)]
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

    async def readiness_details(self) -> dict[str, Any]:
        """What the service adds to `/ready` for people (never decides readiness)."""
        describe = self.parts.readiness_details
        if describe is None or not self.migrated:
            return {}
        try:
            return await asyncio.to_thread(describe, self)
        except Exception as exc:
            log.warning("readiness_details_failed", error=str(exc)[:300])
            return {}
