"""What every read-model handler is made of: one set-based upsert per run of events, and
the column rules that make the result independent of the order events arrive in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, case, select

from services.reporting.readmodel.tables import ReadModel
from shared.bus.handlers import Handled
from shared.db import upsert
from shared.events.catalog import OUTCOMES_NOT_REACHED


def is_right_party_contact(channel: str, party: str, outcome: str) -> bool:
    """The debtor in person, by phone or visit, answered (a right-party contact, RPC)."""
    return (
        channel in ("phone", "field_visit")
        and party == "debtor"
        and outcome not in OUTCOMES_NOT_REACHED
    )


def earliest(table: Table, new: Any, column: str) -> Any:
    old = table.c[column]
    return case((old.is_(None), new[column]), (new[column] < old, new[column]), else_=old)


def latest(table: Table, new: Any, column: str) -> Any:
    old = table.c[column]
    return case((old.is_(None), new[column]), (new[column] > old, new[column]), else_=old)


def if_newer(table: Table, new: Any, stamp: str, columns: Sequence[str]) -> dict[str, Any]:
    newer = table.c[stamp].is_(None) | (new[stamp] >= table.c[stamp])
    return {c: case((newer, new[c]), else_=table.c[c]) for c in [*columns, stamp]}


def rows_of(items: Sequence[Handled], row: Callable[[Any], dict[str, Any] | None]) -> list[Any]:
    return [r for _, event in items if (r := row(event)) is not None]


def holdings_of(rm: ReadModel) -> Callable[[Any, Any], Any]:
    """``holder(case_id, at)``: the collector holding the case at ``at`` — the latest
    holding that began no later (a correlated subquery over ``rm``'s holdings)."""

    def holder(case_id: Any, at: Any) -> Any:
        h = rm.holdings.alias("holder")
        return (
            select(h.c.collector_id)
            .where(h.c.case_id == case_id, h.c.since <= at)
            .order_by(h.c.since.desc(), h.c.event_id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return holder


"""The key in a session's ``info`` naming the read model its handlers write to (a
rebuild's fresh set); a session without it writes to the live set."""


def read_model_of(items: Sequence[Handled]) -> ReadModel:
    """The read model these events go into: the live one, or the one a rebuild fills
    (the runtime's context names it; a rebuild's applier carries its fresh tables)."""
    return items[0][0].context.extra(ReadModel)


def write(
    items: Sequence[Handled],
    table: Table,
    key: list[str],
    row: Callable[[Any], dict[str, Any] | None],
    changes: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    """``row(event)`` for each event (None: skip it), written with one upsert."""
    upsert(items[0][0].session, table, rows_of(items, row), key=key, changes=changes)
