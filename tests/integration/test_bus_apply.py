"""Applying event batches on a real database (SQLite, or PostgreSQL under TEST_POSTGRES=1),
without a broker: inbox, handler isolation, per-event ids, outbox, versions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.bus.apply import BatchApplier, Delivery, dispatch
from shared.bus.work import UnitOfWork
from shared.db import Database
from shared.events import Envelope, decode, encode
from shared.events.catalog import CaseAssigned, CaseClosed

from .bus_kit import KIT_BUS, Receipt, Tally, assigned_event, kit_database, tally_of


def count_up(uow: UnitOfWork, event: Envelope[Any]) -> None:
    row = uow.session.get(Tally, event.case_id) or Tally(case_id=event.case_id, count=0)
    row.count += 1
    uow.session.add(row)


def poison_after_writing(uow: UnitOfWork, event: Envelope[Any]) -> None:
    """Writes first, then fails: nothing of what it wrote may survive."""
    count_up(uow, event)
    uow.emit(
        CaseClosed(client_id=event.payload.client_id, outcome="paid", closed_at=uow.now),
        case_id=event.case_id,
    )
    if event.payload.client_id == "poison":
        raise ValueError("this case cannot be handled")


def close_case(uow: UnitOfWork, event: Envelope[Any]) -> None:
    uow.emit(
        CaseClosed(client_id=event.payload.client_id, outcome="paid", closed_at=uow.now),
        case_id=event.case_id,
    )


def keep_receipt(uow: UnitOfWork, event: Envelope[Any]) -> None:
    """Inserts, never upserts: a second event for the same source id breaks the unique key."""
    uow.session.add(Receipt(source_event_id=f"src-{event.case_id}", case_id=event.case_id))


def outbox_bodies(db: Database) -> list[dict[str, Any]]:
    with db.reader() as session:
        rows = session.execute(select(KIT_BUS.outbox.c.body).order_by(KIT_BUS.outbox.c.id))
        return [json.loads(body) for (body,) in rows]


def inbox_ids(db: Database) -> set[str]:
    with db.reader() as session:
        return set(session.execute(select(KIT_BUS.inbox.c.event_id)).scalars())


def test_a_batch_is_applied_once_and_redelivery_changes_nothing(database_url: str) -> None:
    db = kit_database(database_url)
    events = [assigned_event() for _ in range(30)]
    first = dispatch(db, KIT_BUS, {CaseAssigned: [count_up]}, events)
    assert first.handled_count == 30 and first.duplicates == 0
    again = dispatch(db, KIT_BUS, {CaseAssigned: [count_up]}, [*events[:10], events[0]])
    assert again.handled_count == 0 and again.duplicates == 11
    assert [tally_of(db, e.case_id) for e in events] == [1] * 30
    assert inbox_ids(db) == {str(e.event_id) for e in events}


def test_a_poison_event_in_the_middle_leaves_nothing_and_the_rest_is_applied(
    database_url: str,
) -> None:
    db = kit_database(database_url)
    before = [assigned_event() for _ in range(5)]
    poison = assigned_event(client_id="poison")
    after = [assigned_event() for _ in range(5)]
    outcome = dispatch(
        db, KIT_BUS, {CaseAssigned: [poison_after_writing]}, [*before, poison, *after]
    )

    assert outcome.handled_count == 10
    assert [r.event_type for r in outcome.rejected] == ["CaseAssigned"]
    assert "this case cannot be handled" in outcome.rejected[0].error
    assert outcome.rejected[0].delivery.value == encode(poison)
    assert all(tally_of(db, e.case_id) == 1 for e in [*before, *after])
    assert tally_of(db, poison.case_id) == 0, "the poison event's own writes must be undone"
    assert str(poison.event_id) not in inbox_ids(db), "a rejected event is not marked handled"
    closed_cases = [body["case_id"] for body in outbox_bodies(db)]
    assert closed_cases == [e.case_id for e in [*before, *after]], "nor may its events leave"


def test_a_handlers_own_unique_key_failing_is_rejected_not_taken_for_a_redelivery(
    database_url: str,
) -> None:
    db = kit_database(database_url)
    first = assigned_event(case_id="case-unique")
    second = assigned_event(case_id="case-unique")  # another event, same source id
    outcome = dispatch(db, KIT_BUS, {CaseAssigned: [keep_receipt]}, [first, second])
    assert outcome.handled_count == 1
    assert outcome.duplicates == 0
    assert [r.delivery.value for r in outcome.rejected] == [encode(second)]
    assert "IntegrityError" in outcome.rejected[0].error
    assert inbox_ids(db) == {str(first.event_id)}


def test_each_event_stamps_what_it_emits_with_its_own_ids(database_url: str) -> None:
    db = kit_database(database_url)
    events = [assigned_event() for _ in range(3)]
    dispatch(db, KIT_BUS, {CaseAssigned: [count_up, close_case]}, events)
    emitted = outbox_bodies(db)
    assert [(b["causation_id"], b["correlation_id"], b["case_id"]) for b in emitted] == [
        (str(e.event_id), e.correlation_id, e.case_id) for e in events
    ]
    assert all(decode(json.dumps(b)).type == "CaseClosed" for b in emitted)


def test_several_handlers_run_in_order_for_one_event(database_url: str) -> None:
    db = kit_database(database_url)
    seen: list[str] = []
    event = assigned_event()
    dispatch(
        db,
        KIT_BUS,
        {CaseAssigned: [lambda u, e: seen.append("first"), lambda u, e: seen.append("second")]},
        [event],
    )
    assert seen == ["first", "second"]


def test_events_nobody_handles_are_ignored_and_garbage_is_rejected(database_url: str) -> None:
    db = kit_database(database_url)
    event = assigned_event()
    outcome = dispatch(db, KIT_BUS, {CaseClosed: [close_case]}, [event])
    assert outcome.ignored == 1 and outcome.handled_count == 0
    with db.reader() as session:
        assert session.execute(select(func.count()).select_from(KIT_BUS.inbox)).scalar_one() == 0


@pytest.mark.parametrize("version", [2, 99])
def test_a_newer_version_than_known_is_rejected_with_a_clear_error(
    database_url: str, version: int
) -> None:
    db = kit_database(database_url)
    event = assigned_event()
    raw = json.loads(encode(event))
    raw["version"] = version
    delivery = Delivery(value=json.dumps(raw).encode(), topic="assignment.events", offset=7)
    outcome = BatchApplier(db, KIT_BUS, {CaseAssigned: [count_up]}).apply([delivery])
    assert outcome.handled_count == 0
    assert len(outcome.rejected) == 1
    assert f"version {version} is newer" in outcome.rejected[0].error
    assert tally_of(db, event.case_id) == 0


def test_a_batch_of_new_and_seen_events_applies_only_the_new_ones_once(
    database_url: str,
) -> None:
    """The plain inbox write finds fewer rows written than sent, is undone, and the
    returning insert picks out the new events."""
    db = kit_database(database_url)
    seen = [assigned_event() for _ in range(4)]
    dispatch(db, KIT_BUS, {CaseAssigned: [count_up]}, seen)
    new = [assigned_event() for _ in range(6)]
    mixed = [new[0], seen[1], *new[1:4], seen[3], *new[4:]]

    outcome = dispatch(db, KIT_BUS, {CaseAssigned: [count_up]}, mixed)

    assert outcome.handled_count == 6 and outcome.duplicates == 2
    assert [tally_of(db, e.case_id) for e in [*seen, *new]] == [1] * 10
    assert inbox_ids(db) == {str(e.event_id) for e in [*seen, *new]}
