"""The one place that reads the wall clock, so tests can pass a fixed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator

Clock = Callable[[], datetime]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc_now() -> datetime:
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    return lambda: at


def shifted(clock: Clock, days: int) -> Clock:
    """``clock`` running ``days`` ahead (the end-to-end tests' moved clock); 0: itself."""
    if not days:
        return clock
    ahead = timedelta(days=days)
    return lambda: clock() + ahead


def to_local(moment: datetime) -> datetime:
    """Times are stored in UTC and shown to people in Asia/Shanghai."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
"""A datetime in an API response: always with its UTC offset, whatever the database gave."""
