"""The input types whose documented pattern is the very check the code makes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.web.strict import ReportDay, decimal_text, whole_number

MONEY = TypeAdapter(decimal_text(digits=14))
POSITIVE = TypeAdapter(decimal_text(positive=True))
RATE = TypeAdapter(decimal_text(digits=6, places=4, at_most_one=True))


@pytest.mark.parametrize(
    ("adapter", "taken", "refused"),
    [
        (MONEY, ["0", "0.00", "1234.5", "999999999999.99"], ["-1", "1.234", "1e3", "01", 12]),
        (POSITIVE, ["0.01", "10", "0.5"], ["0", "0.00", 1.5, "abc"]),
        (RATE, ["0", "0.18", "1", "1.0000"], ["1.01", "2", "0.12345", 0.18]),
    ],
)
def test_amounts_are_decimal_strings_matching_their_pattern(adapter, taken, refused) -> None:
    pattern = re.compile(adapter.json_schema()["pattern"])
    for text in taken:
        assert adapter.validate_python(text) == Decimal(text) and pattern.match(text)
    for value in refused:
        with pytest.raises(ValidationError, match="a decimal string"):
            adapter.validate_python(value)
        assert not (isinstance(value, str) and pattern.match(value))


def test_a_report_day_is_a_real_day_from_1990_to_2099() -> None:
    day = TypeAdapter(ReportDay)
    pattern = re.compile(day.json_schema()["pattern"])
    for text in ("1990-01-01", "2000-02-29", "2096-02-29", "2099-12-31", "2026-04-30"):
        assert str(day.validate_python(text)) == text and pattern.match(text)
    for text in ("1989-12-31", "2100-01-01", "2026-02-29", "2026-04-31", "2026-13-01"):
        with pytest.raises(ValidationError):
            day.validate_python(text)
        assert not pattern.match(text)


def test_a_whole_number_is_not_true_or_false() -> None:
    count = TypeAdapter(whole_number(ge=0, le=10))
    assert count.validate_python(3) == 3 and count.validate_python(3.0) == 3
    for value in (True, False, 11, -1, 2.5):
        with pytest.raises(ValidationError):
            count.validate_python(value)
    assert count.json_schema() == {"maximum": 10, "minimum": 0, "type": "integer"}
