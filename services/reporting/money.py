"""Amounts to the fen, half-up, for figures worked out in Python (shares, sums of lines)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")


def fen(value: object) -> Decimal:
    if value is None:
        return Decimal("0.00")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.quantize(FEN, rounding=ROUND_HALF_UP)


def ratio(part: Decimal | int, whole: Decimal | int, places: int = 4) -> Decimal | None:
    """``part / whole`` rounded half-up (0.9096 = 90.96 %), None when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def shown_rate(rate: Decimal) -> Decimal:
    """Every rate to four places, general and per-bucket alike (0.1800, 0.2500)."""
    return rate.quantize(RATE_PLACES)
