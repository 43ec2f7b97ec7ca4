"""Capital numerals for amounts: the issue's examples, zeros inside and across groups,
万 and 亿, jiao and fen, rounding half-up to the fen, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.letters.domain.money_words import LARGEST, AmountNotWritable, amount_in_words

CASES = [
    ("1081", "壹仟零捌拾壹元整"),
    ("1048.50", "壹仟零肆拾捌元伍角"),
    ("100000.05", "壹拾万元零伍分"),
    ("20920000", "贰仟零玖拾贰万元整"),
    ("895", "捌佰玖拾伍元整"),
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.5", "伍角"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1001", "壹仟零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1100", "壹仟壹佰元整"),
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("10010", "壹万零壹拾元整"),
    ("11000", "壹万壹仟元整"),
    ("100100", "壹拾万零壹佰元整"),
    ("1000100", "壹佰万零壹佰元整"),
    ("10001000", "壹仟万壹仟元整"),
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("100010000", "壹亿零壹万元整"),
    ("2000020000", "贰拾亿零贰万元整"),
    ("1000000001", "壹拾亿零壹元整"),
    ("1010101010.10", "壹拾亿壹仟零壹拾万壹仟零壹拾元壹角"),
    ("3.07", "叁元零柒分"),
    ("3.70", "叁元柒角"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("1000000000000", "壹万亿元整"),
    (str(LARGEST), "玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("amount", "words"), CASES)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.005", "壹分"),
        ("0.004", "零元整"),
        ("1048.495", "壹仟零肆拾捌元伍角"),
        ("1048.494", "壹仟零肆拾捌元肆角玖分"),
        ("99.995", "壹佰元整"),
        ("9999.999", "壹万元整"),
    ],
)
def test_rounded_half_up_to_the_fen_first(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_yuan_can_be_written_as_圆() -> None:
    assert amount_in_words(Decimal("895"), yuan="圆") == "捌佰玖拾伍圆整"
    assert amount_in_words(Decimal("100000.05"), yuan="圆") == "壹拾万圆零伍分"


@pytest.mark.parametrize("amount", ["-0.01", "-1081", "NaN", "Infinity", "10000000000000000"])
def test_refused(amount: str) -> None:
    with pytest.raises(AmountNotWritable):
        amount_in_words(Decimal(amount))


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        amount_in_words(1048.5)  # type: ignore[arg-type]


def test_every_amount_to_ten_thousand_round_trips() -> None:
    """Read each written amount back digit by digit: exhaustive for 1–9,999 yuan."""
    digits = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
    units = {"拾": 10, "佰": 100, "仟": 1000}
    for yuan in range(1, 10_000):
        text = amount_in_words(Decimal(yuan))
        body = text.removesuffix("元整")
        value, pending = 0, 0
        for char in body:
            if char in digits:
                pending = digits[char]
            else:
                value += pending * units[char]
                pending = 0
        value += pending
        assert value == yuan, (yuan, text)
        assert "零零" not in text and not body.endswith("零"), text
