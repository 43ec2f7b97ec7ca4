"""Amounts in capital numerals (大写金额) as cheques and letters write them.

Rules: groups of four digits (个, 万, 亿, 万亿); a zero between non-zero digits — inside a
group or across a group boundary — is written once as 零; 元/圆 closes the yuan part, then
角 and 分; 整 ends an amount without fen. 100000.05 is 壹拾万元零伍分: a missing 角 after
yuan writes 零 before the 分.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
IN_GROUP = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")
FEN = Decimal("0.01")
LARGEST = Decimal("9999999999999999.99")  # 16 digits of yuan: up to 万亿 groups
"""The largest amount written; above it the 万亿 group would need a fifth group."""

YuanSign = Literal["元", "圆"]


class AmountNotWritable(ValueError):
    """Negative, not a number, or beyond :data:`LARGEST`."""


def to_fen(amount: Decimal) -> Decimal:
    """Half-up to the fen: the one rounding every amount on a letter goes through."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _group(number: int) -> str:
    """One group of four digits (0 < number < 10000), zeros inside written once."""
    out: list[str] = []
    pending_zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(DIGITS[0])
            pending_zero = False
        out.append(DIGITS[digit] + IN_GROUP[position])
    return "".join(out)


def _yuan(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    out: list[str] = []
    zero_before = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            zero_before = bool(out)
            continue
        if out and (zero_before or value < 1000):
            out.append(DIGITS[0])
        out.append(_group(value) + GROUPS[index])
        zero_before = False
    return "".join(out)


def amount_in_words(amount: Decimal, *, yuan: YuanSign = "元") -> str:
    """``Decimal`` only (a float would already have lost the fen)."""
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal, never float")
    if not amount.is_finite():
        raise AmountNotWritable(f"{amount} is not an amount")
    fen_total = int(to_fen(amount) * 100)
    if amount < 0:
        raise AmountNotWritable(f"{amount} is negative")
    if to_fen(amount) > LARGEST:
        raise AmountNotWritable(f"{amount} is above the largest amount written, {LARGEST}")
    whole, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return f"零{yuan}整"
    text = _yuan(whole) + yuan if whole else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif whole and fen:
        text += DIGITS[0]
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整" if not jiao else ""
    return text
