"""Input types that accept exactly what the OpenAPI document says: an integer is a JSON
integer (``false`` is not 0), a date-time is an ISO 8601 string (``0.5`` is not a Unix
time), an amount a decimal string matching the documented pattern."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Unicode's White_Space, spelled out: what pydantic's strip_whitespace removes, and the same
# in every regex engine (ECMA's \s, which the document's readers use, differs from it).
WHITE_SPACE = r"\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Text that is not all white space: left after strip_whitespace, it is not empty.
NOT_BLANK = f"[^{WHITE_SPACE}]"


def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError("an ISO 8601 date-time string, e.g. 2026-11-23T08:00:00+08:00")
    return value


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("an integer, not true or false")
    return value


def whole_number(*, ge: int, le: int) -> Any:
    """An integer between the bounds; ``true``/``false`` refused (JSON Schema counts 3.0 as
    an integer, so that is taken). The bounds come first so the document states them."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_not_bool)]


IsoDatetime = Annotated[datetime, BeforeValidator(_iso)]


def _fraction(places: int, positive: bool) -> str:
    if not positive:
        return rf"(0|[1-9]\d*)(\.\d{{1,{places}}})?"
    assert places == 2, "positive amounts are money: two decimals"
    return r"([1-9]\d*(\.\d{1,2})?|0\.(0[1-9]|[1-9]\d?))"


def _decimal_pattern(digits: int, places: int, positive: bool) -> str:
    whole = _fraction(places, positive).replace(r"\d*", rf"\d{{0,{digits - places - 1}}}", 1)
    return f"^{whole}$"


def decimal_text(
    *, digits: int = 18, places: int = 2, positive: bool = False, at_most_one: bool = False
) -> Any:
    """An amount (or a rate) sent as a decimal string, e.g. ``"1234.50"``: never a JSON
    number, whose float loses fen. The document's pattern is the check the code makes."""
    if at_most_one:
        pattern = rf"^(0(\.\d{{1,{places}}})?|1(\.0{{1,{places}}})?)$"
        example = "0.18"
    else:
        pattern = _decimal_pattern(digits, places, positive)
        example = "1234.50"
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, Decimal):
            return value
        if not isinstance(value, str) or not compiled.match(value):
            bound = "between 0 and 1" if at_most_one else ("above 0" if positive else "0 or more")
            raise ValueError(
                f'a decimal string {bound} with at most {places} decimals, e.g. "{example}"'
            )
        return value

    schema = {"type": "string", "pattern": pattern, "examples": [example]}
    return Annotated[Decimal, BeforeValidator(check), WithJsonSchema(schema)]


_YEAR = r"(199\d|20\d\d)"
_LEAP = r"(199[26]|20([02468][048]|[13579][26]))"
DAY_1990_2099 = (
    rf"^({_YEAR}-((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
    rf"|(0[13578]|1[02])-31)|{_LEAP}-02-29)$"
)
_DAY = re.compile(DAY_1990_2099)


def _day(value: Any) -> Any:
    if isinstance(value, date) and 1990 <= value.year <= 2099:
        return value
    if isinstance(value, str) and _DAY.match(value):
        return value
    raise ValueError("a day from 1990-01-01 to 2099-12-31, written YYYY-MM-DD")


# A day the reports cover: 1990 to 2099, the pattern exact to the calendar (leap days too).
ReportDay = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_1990_2099}),
]


def amount_or_text(*, positive: bool = False) -> Any:
    """An amount (CNY, two decimals) as a JSON number or as decimal text (``"1234.50"``);
    the document states both forms exactly, so every amount it allows is taken."""
    pattern = _decimal_pattern(17, 2, positive)  # up to 999999999999999.99
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, bool) or (isinstance(value, str) and not compiled.match(value)):
            bound = "above 0" if positive else "0 or more"
            raise ValueError(f'an amount {bound} with at most 2 decimals, e.g. 1234.5 or "1234.50"')
        return value

    number = {
        "type": "number",
        ("exclusiveMinimum" if positive else "minimum"): 0,
        "maximum": 999999999999999.99,
        "multipleOf": 0.01,
    }
    schema = {"anyOf": [number, {"type": "string", "pattern": pattern}], "examples": ["1234.50"]}
    bound = Field(gt=0) if positive else Field(ge=0)
    return Annotated[
        Decimal,
        BeforeValidator(check),
        bound,
        Field(le=Decimal("999999999999999.99"), max_digits=17, decimal_places=2),
        WithJsonSchema(schema),
    ]
