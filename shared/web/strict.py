"""Input types that accept exactly what the OpenAPI document says: an integer is a JSON
integer (``false`` is not 0), a date-time is an ISO 8601 string (``0.5`` is not a Unix
time)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Strict

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError("an ISO 8601 date-time string, e.g. 2026-11-23T08:00:00+08:00")
    return value


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError("an ISO 8601 date string, e.g. 2026-11-23")
    return value


StrictInt = Annotated[int, Strict()]
IsoDatetime = Annotated[datetime, BeforeValidator(_iso)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
