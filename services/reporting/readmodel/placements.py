"""Outside agencies (委外): their names, and when each case was with which agency at what
commission rate. Either order of placement and recall gives the same row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select

from services.reporting.readmodel.tables import ReadModel
from services.reporting.readmodel.writes import earliest, if_newer, read_model_of, write
from shared.bus.handlers import Handled, batched


def _placement(e: Any, **values: Any) -> dict[str, Any]:
    p = e.payload
    empty = {"commission_rate": None, "placed_at": None, "recalled_at": None}
    ids = {"placement_id": p.placement_id, "case_id": e.case_id, "agency_id": p.agency_id}
    return ids | empty | values


@batched
def on_placed_with_agency(items: Sequence[Handled]) -> None:
    write(
        items,
        read_model_of(items).placements,
        ["placement_id"],
        lambda e: (
            _placement(e, commission_rate=e.payload.commission_rate, placed_at=e.payload.placed_at)
            if e.case_id
            else None
        ),
        lambda new: {"commission_rate": new.commission_rate, "placed_at": new.placed_at},
    )


@batched
def on_recalled_from_agency(items: Sequence[Handled]) -> None:
    placements = read_model_of(items).placements
    write(
        items,
        placements,
        ["placement_id"],
        lambda e: _placement(e, recalled_at=e.payload.recalled_at) if e.case_id else None,
        lambda new: {"recalled_at": earliest(placements, new, "recalled_at")},
    )


@batched
def on_agency_registered(items: Sequence[Handled]) -> None:
    agencies = read_model_of(items).agencies
    write(
        items,
        agencies,
        ["agency_id"],
        lambda e: {
            "agency_id": e.payload.agency_id,
            "name": e.payload.name,
            "saved_at": e.payload.saved_at,
        },
        lambda new: if_newer(agencies, new, "saved_at", ["name"]),
    )


def placement_at(rm: ReadModel, case_id: Any, at: Any) -> Any:
    """The placement the case was in at ``at`` (placed no later, not yet recalled), as a
    correlated subquery; none when an agency did not hold the case then."""
    pl = rm.placements.alias("placed_then")
    return (
        select(pl.c.placement_id)
        .where(
            pl.c.case_id == case_id,
            pl.c.placed_at <= at,
            or_(pl.c.recalled_at.is_(None), pl.c.recalled_at > at),
        )
        .order_by(pl.c.placed_at.desc())
        .limit(1)
        .scalar_subquery()
    )
