"""Applying a batch of delivered events to a service's database, in one transaction.

Kafka-free on purpose: the consumer runner feeds it what it fetched, and ``dispatch``
feeds it events directly, so a service's handlers are tested on a real database without a
broker, through the same code the running service uses.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from shared.bus import dead_letters
from shared.bus.handlers import AnyHandler, Batched, Handled, HandlerTable, by_type_name
from shared.bus.outbox import Outbox
from shared.bus.tables import BusTables
from shared.bus.work import Transaction, UnitOfWork
from shared.clock import Clock, utc_now
from shared.context import ServiceContext
from shared.db import Database, dialect_insert, execute_many
from shared.events import Envelope, decode, encode, peek_type, topic_for
from shared.faults import fault_point
from shared.logging import correlation_id_var, get_logger

log = get_logger(__name__)


class TransientError(Exception):
    """The handler could not run now (database away); retry the same events later."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TransientError | OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


@dataclass(frozen=True)
class Delivery:
    """One message as it was delivered: its bytes and where it came from."""

    value: bytes
    topic: str
    partition: int = 0
    offset: int = 0
    key: bytes | None = None
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class Rejected:
    """A message that cannot be handled, and why; it goes to the dead-letter topic."""

    delivery: Delivery
    error: str
    event_type: str = "?"


@dataclass
class BatchOutcome:
    handled: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    ignored: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    emitted: int = 0

    @property
    def handled_count(self) -> int:
        return sum(self.handled.values())


@dataclass(frozen=True)
class _Decoded:
    delivery: Delivery
    event: Envelope[Any]
    event_id: str


class _EventFailed(Exception):
    def __init__(self, index: int, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.index = index
        self.cause = cause


class _BatchFailed(Exception):
    """Something in the batch failed; which event is found by applying one at a time."""


class BatchApplier:
    """Applies delivered events in one transaction: inbox rows, handlers, outbox, commit.

    The inbox insert ignores conflicts and returns the ids it stored, so a redelivery is
    what the database says it is, never read out of an error message. Events run in runs
    of one type that keep each case's own order (a batched handler takes a whole run),
    each event with its own unit of work, so what it emits carries its own causation and
    correlation ids. If anything fails, the transaction is rolled back and
    the batch applied again one event at a time, with a flush after each, to find the
    event at fault; that one is reported as rejected (nothing of it is written) and the
    rest is applied without it. A transient error (database away) is raised to the
    caller to retry the whole batch.
    """

    def __init__(
        self,
        db: Database,
        tables: BusTables,
        handlers: HandlerTable,
        clock: Clock = utc_now,
        *,
        service: str | None = None,
        context: ServiceContext | None = None,
    ) -> None:
        self.db = db
        self.context = context
        self.inbox = tables.inbox
        self.dead_letters = tables.dead_letters
        self.service = service
        self.outbox = Outbox(tables)
        self.handlers: dict[str, tuple[AnyHandler, ...]] = by_type_name(handlers)
        self.clock = clock

    def apply(self, deliveries: Sequence[Delivery]) -> BatchOutcome:
        outcome = BatchOutcome()
        events = self._decode(deliveries, outcome)
        one_at_a_time = False
        while True:
            try:
                handled, duplicates, emitted = self._apply_once(
                    events, one_at_a_time, outcome.rejected
                )
            except _BatchFailed:
                one_at_a_time = True
                continue
            except _EventFailed as failed:
                bad = events.pop(failed.index)
                outcome.rejected.append(
                    Rejected(bad.delivery, _describe(failed.cause), bad.event.type)
                )
                one_at_a_time = False
                continue
            outcome.handled.update(handled)
            outcome.duplicates += duplicates
            outcome.emitted += emitted
            position = {id(delivery): index for index, delivery in enumerate(deliveries)}
            outcome.rejected.sort(key=lambda rejected: position[id(rejected.delivery)])
            return outcome

    def _decode(self, deliveries: Sequence[Delivery], outcome: BatchOutcome) -> list[_Decoded]:
        events: list[_Decoded] = []
        seen: set[str] = set()
        for delivery in deliveries:
            try:
                raw = peek_type(delivery.value)
                if raw.type not in self.handlers:
                    outcome.ignored += 1
                    continue
                event = decode(delivery.value, raw)
            except Exception as exc:
                outcome.rejected.append(Rejected(delivery, _describe(exc)))
                continue
            event_id = str(event.event_id)
            if event_id in seen:
                outcome.duplicates += 1
                continue
            seen.add(event_id)
            events.append(_Decoded(delivery, event, event_id))
        return events

    def _apply_once(
        self, events: list[_Decoded], one_at_a_time: bool, rejected: list[Rejected]
    ) -> tuple[Counter[str], int, int]:
        handled: Counter[str] = Counter()
        keeps_dead_letters = self.dead_letters is not None and rejected
        if not events and not keeps_dead_letters:
            return handled, 0, 0
        with self.db.transaction() as session:
            now = self.clock()
            if keeps_dead_letters:
                self._keep_dead_letters(session, rejected, now)
            if not events:
                return handled, 0, 0
            fresh = self._record_in_inbox(session, events, now)
            transaction = Transaction(
                session=session, now=now, outbox=self.outbox, context=self.context
            )
            todo = [(i, item) for i, item in enumerate(events) if item.event_id in fresh]
            for run in _runs(todo, one_at_a_time):
                items = [
                    (
                        UnitOfWork(
                            transaction,
                            correlation_id=item.event.correlation_id,
                            causation_id=item.event_id,
                        ),
                        item.event,
                    )
                    for _, item in run
                ]
                try:
                    self._run_handlers(items)
                    if one_at_a_time:
                        session.flush()
                except Exception as exc:
                    if is_transient(exc):
                        raise
                    if one_at_a_time:
                        raise _EventFailed(run[0][0], exc) from exc
                    raise _BatchFailed() from exc
                handled[run[0][1].event.type] += len(run)
            try:
                session.flush()
            except Exception as exc:
                if is_transient(exc):
                    raise
                raise _BatchFailed() from exc
            emitted = transaction.write_events()
            fault_point("consumer.before_commit")
        return handled, len(events) - len(fresh), emitted

    def _keep_dead_letters(self, session: Session, rejected: list[Rejected], now: Any) -> None:
        assert self.dead_letters is not None
        rows = [
            {
                "event_id": _event_id(r.delivery.value),
                "event_type": r.event_type[:64],
                "topic": r.delivery.topic,
                "partition": r.delivery.partition,
                "offset": r.delivery.offset,
                "message_key": r.delivery.key.decode(errors="replace")[:200]
                if r.delivery.key
                else None,
                "body": r.delivery.value,
                "error": r.error,
            }
            for r in rejected
        ]
        dead_letters.record(session, self.dead_letters, rows, now)
        if self.service is not None:
            dead_letters.publish_gauge(session, self.dead_letters, self.service)

    def _run_handlers(self, items: list[Handled[Any]]) -> None:
        for handler in self.handlers[items[0][1].type]:
            if isinstance(handler, Batched):
                handler.handle(items)
                continue
            for work, event in items:
                token = correlation_id_var.set(event.correlation_id)
                try:
                    handler(work, event)
                finally:
                    correlation_id_var.reset(token)
                log.debug("event_handled", type=event.type, event_id=str(event.event_id))

    def _record_in_inbox(self, session: Session, events: list[_Decoded], now: Any) -> set[str]:
        """Insert the batch's inbox rows, skipping ids already there; returns those stored.

        Most batches are all new: the rows go in as one plain batch, and when the database
        counts every row written, all are fresh. Otherwise that write is undone (to a
        savepoint) and the rows are inserted again gathering the ids stored.
        """
        rows = [
            {
                "event_id": item.event_id,
                "event_type": item.event.type,
                "topic": item.delivery.topic,
                "handled_at": now,
            }
            for item in events
        ]
        insert = dialect_insert(session)(self.inbox).on_conflict_do_nothing(
            index_elements=["event_id"]
        )
        try:
            with session.begin_nested():
                if execute_many(session, insert, rows) == len(rows):
                    return {row["event_id"] for row in rows}
                raise _SeenBefore()
        except _SeenBefore:
            pass
        return set(session.execute(insert.returning(self.inbox.c.event_id), rows).scalars())


class _SeenBefore(Exception):
    """Some of a batch's events are in the inbox already."""


def _runs(
    todo: list[tuple[int, _Decoded]], one_at_a_time: bool
) -> list[list[tuple[int, _Decoded]]]:
    """The batch cut into runs of one event type, as long as each case's order allows.

    Only a case's own events must keep their order (the broker orders nothing else), so
    an event goes into layer *n* when it is its case's *n*-th event in the batch; layers
    run in turn, and within a layer all events of one type form a single run. A file's
    ``CaseImported`` events thus reach a batched handler together even when the topic
    interleaves them with other types.
    """
    if one_at_a_time:
        return [[entry] for entry in todo]
    seen: Counter[str] = Counter()
    layers: list[dict[str, list[tuple[int, _Decoded]]]] = []
    for entry in todo:
        event = entry[1].event
        case = event.case_id or str(event.event_id)
        layer = seen[case]
        seen[case] += 1
        if layer == len(layers):
            layers.append({})
        layers[layer].setdefault(event.type, []).append(entry)
    return [run for layer in layers for run in layer.values()]


def _event_id(value: bytes) -> str | None:
    """The event id of a message that may not decode as an event at all."""
    try:
        found = json.loads(value).get("event_id")
    except Exception:
        return None
    return str(found)[:36] if isinstance(found, str) else None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def dispatch(
    db: Database,
    tables: BusTables,
    handlers: HandlerTable,
    events: Iterable[Envelope[Any]],
    clock: Clock = utc_now,
    *,
    context: ServiceContext | None = None,
) -> BatchOutcome:
    """Run ``handlers`` over ``events`` as the consumer would, without Kafka."""
    deliveries = [
        Delivery(
            value=encode(event),
            topic=topic_for(event.producer),
            offset=offset,
            key=event.case_id.encode() if event.case_id else None,
        )
        for offset, event in enumerate(events)
    ]
    return BatchApplier(db, tables, handlers, clock, context=context).apply(deliveries)
