"""Events about a case letters has not received yet wait for the case, never dropped.

Letters learns a case from intake's ``CaseImported``; contact's ``PaymentPromised`` and
``ContactAttempted`` travel on another topic, and the broker orders nothing across topics:
a consumer behind on intake's topic, or restarted with both topics waiting, can read a
promise or an "invoice not received" call before the case itself (or with only the bare
row ``CaseAssigned`` makes). Such an event is kept whole and handled, in the order it
arrived, in the same transaction that first stores the case as intake sent it. The inbox
has its id already, so a redelivery neither keeps it twice nor runs it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)

from services.letters.models import LetterCase, LettersTable
from shared.bus.handlers import Batched, Handled, Handler, batched
from shared.bus.work import UnitOfWork
from shared.events import Envelope, Payload, decode, encode
from shared.logging import get_logger

log = get_logger(__name__)

WAITING = Table(
    "waiting_for_case",
    LettersTable.metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("case_id", String(36), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("arrived_at", DateTime(timezone=True), nullable=False),
    Index("ix_waiting_for_case_case", "case_id", "id"),
)


def received_case(uow: UnitOfWork, event: Envelope[Any]) -> LetterCase | None:
    """The case as intake sent it; otherwise None, the event kept until the case comes."""
    if event.case_id is None:
        return None
    case = uow.session.get(LetterCase, event.case_id)
    if case is not None and case.account_ref is None:
        uow.session.flush()
        uow.session.refresh(case)  # the import may have written it since, set-based
    if case is not None and case.account_ref is not None:
        return case
    uow.session.execute(
        insert(WAITING).values(
            event_id=str(event.event_id),
            case_id=event.case_id,
            event_type=event.type,
            body=encode(event).decode(),
            arrived_at=uow.now,
        )
    )
    log.info("event_waits_for_case", case_id=event.case_id, type=event.type)
    return None


def release_waiting(handlers: Mapping[type[Payload], Handler[Any]]) -> Batched[Any]:
    """The handler, run after the case is stored, that handles what waited for it: each
    event with its own unit of work (its correlation, and its id as the cause)."""
    by_type = {payload_type.event_type: handler for payload_type, handler in handlers.items()}

    @batched
    def release(items: Sequence[Handled[Any]]) -> None:
        case_ids = sorted({event.case_id for _, event in items if event.case_id})
        session = items[0][0].session
        waited = list(
            session.execute(
                select(WAITING.c.id, WAITING.c.body)
                .where(WAITING.c.case_id.in_(case_ids))
                .order_by(WAITING.c.id)
            )
        )
        if not waited:
            return
        session.execute(delete(WAITING).where(WAITING.c.id.in_([row.id for row in waited])))
        transaction = items[0][0].transaction
        for row in waited:
            event = decode(row.body)
            work = UnitOfWork(
                transaction, correlation_id=event.correlation_id, causation_id=str(event.event_id)
            )
            by_type[event.type](work, event)
        log.info("waiting_events_released", events=len(waited), cases=len(case_ids))

    return release
