"""Keyset pages for list routes: ``?limit=50&after=<next_cursor>``, as the work queue pages.

A page is ordered by a few columns that together are unique (e.g. received time and id);
the cursor carries the last row's values of those columns, so page 100 costs what page 1
costs and rows added meanwhile never shift a page. The cursor is opaque to callers.

Its shape is documented (``CURSOR_PATTERN``: base64url without padding), so a cursor of
another shape is refused with 422 by the schema. One of that shape that this list did not
give out (mistyped, cut short, from another list) names no position in it: that page is
not found (404), never silently the first page.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, or_
from sqlalchemy.sql.elements import ColumnElement

from shared.clock import as_utc
from shared.errors import ProblemError

T = TypeVar("T")

CURSOR_PATTERN = "^[A-Za-z0-9_-]+$"
CURSOR_DESCRIPTION = (
    "`next_cursor` of the previous page. A cursor of this shape that the list did not give "
    "out answers 404 (no such page)."
)
NO_SUCH_PAGE = "no page after this cursor: pass a next_cursor this list gave out"

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
After = Annotated[
    str | None,
    Query(max_length=400, pattern=CURSOR_PATTERN, description=CURSOR_DESCRIPTION),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `after` for the next page; null at the end", pattern=CURSOR_PATTERN
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    text = json.dumps([_plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _python_type(column: ColumnElement[Any]) -> type | None:
    """The column's Python type, looking through a decorated type (sqlmodel's text)."""
    for kind in (column.type, getattr(column.type, "impl_instance", None)):
        try:
            known = kind.python_type if kind is not None else object
        except NotImplementedError:
            continue
        if known is not object:
            return known
    return None


def _typed(column: ColumnElement[Any], value: Any) -> Any:
    """A cursor value back as the column's Python type (JSON keeps text and numbers)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text with NUL")
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError(f"{value!r} is out of range")
    if value is None:
        return None
    kind = _python_type(column)
    if kind is None:
        if not isinstance(value, str | int | float | None):
            raise TypeError(f"{value!r} is not a plain value")
        return value
    if kind is datetime:
        return as_utc(datetime.fromisoformat(value))
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        amount = Decimal(value)
        if not amount.is_finite():
            raise ValueError(f"{value!r} is not an amount")
        return amount
    if kind in (str, int) and not isinstance(value, kind):
        raise TypeError(f"{value!r} is not {kind.__name__}")
    return value


def decode_cursor(cursor: str, columns: Sequence[ColumnElement[Any]]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError("wrong length")
        return [_typed(c, v) for c, v in zip(columns, values, strict=True)]
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ProblemError(404, NO_SUCH_PAGE) from exc


def keyset(
    query: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    limit: int,
    after: str | None,
    *,
    descending: bool = False,
) -> Select[Any]:
    """The query ordered by ``columns`` (ascending, or all descending), after the cursor,
    one row more than ``limit`` so :func:`page` can tell whether another page follows."""
    if after:
        last = decode_cursor(after, columns)
        beyond = []
        for i, column in enumerate(columns):
            step = column < last[i] if descending else column > last[i]
            beyond.append(and_(*[c == v for c, v in zip(columns[:i], last[:i], strict=True)], step))
        query = query.where(or_(*beyond))
    order = [c.desc() if descending else c.asc() for c in columns]
    return query.order_by(*order).limit(limit + 1)


def page(rows: Sequence[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    """The first ``limit`` rows and the cursor after the last of them (``None`` at the
    end); ``key(row)`` gives a row's values of the ordering columns."""
    shown = list(rows[:limit])
    more = len(rows) > limit
    return shown, encode_cursor(key(shown[-1])) if more and shown else None
