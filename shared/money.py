"""The one money column type every table uses: amounts in yuan as `Decimal`, to the fen.

Declare a money column as ``Column(Money(), nullable=...)``; callers only ever see
`Decimal`. Storage is a whole number of fen in a ``BIGINT``: SQLite keeps 64-bit integers
exactly (its ``NUMERIC`` goes through float) and both databases sum integers exactly
(SQLite raises on overflow instead of rounding; PostgreSQL's ``SUM(bigint)`` is
``numeric``). So ``SUM``, differences and comparisons in SQL stay in fen, and a value
read back is scaled to yuan once, here.

The range is that of the ``NUMERIC(18, 2)`` it replaces: up to 9,999,999,999,999,999.99.
An amount with more than two decimals is rounded half-up to the fen on the way in, as
PostgreSQL's ``NUMERIC(18, 2)`` did.

Rates (a commission rate, a daily penalty rate) are not money: `Rate` keeps them exact
as whole millionths in a ``BIGINT``, so 0.1250 and 0.0004 come back as written.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator, TypeEngine

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")

# Operators whose other side is in the column's own unit (an amount, or a rate); for the
# rest (``amount * 3``, ``amount / 2``) the other side is a plain number.
_SAME_UNIT = {
    operators.add,
    operators.sub,
    operators.eq,
    operators.ne,
    operators.lt,
    operators.le,
    operators.gt,
    operators.ge,
    operators.between_op,
    operators.not_between_op,
    operators.in_op,
    operators.not_in_op,
}


def to_fen(amount: Decimal | int | str) -> int:
    """An amount in yuan as a whole number of fen, half-up; refuses floats and overflow."""
    if isinstance(amount, float | bool):
        raise TypeError(f"money must be Decimal, int or str, not {type(amount).__name__}")
    number = amount if isinstance(amount, Decimal) else Decimal(amount)
    if not number.is_finite():
        raise ValueError(f"money must be a finite amount, not {number}")
    rounded = number.quantize(FEN, rounding=ROUND_HALF_UP)
    if abs(rounded) > MAX_AMOUNT:
        raise ValueError(f"amount {number} exceeds {MAX_AMOUNT}")
    return int(rounded.scaleb(2))


def from_fen(fen: Any) -> Decimal:
    """A number of fen as the database returns it (int; ``numeric`` from a PostgreSQL sum;
    float only from ``AVG`` on SQLite) as yuan to the fen."""
    if isinstance(fen, int):
        return Decimal(fen).scaleb(-2)
    number = fen if isinstance(fen, Decimal) else Decimal(repr(float(fen)))
    return number.scaleb(-2).quantize(FEN, rounding=ROUND_HALF_UP)


class _Arithmetic(TypeDecorator.Comparator[Decimal], BigInteger.Comparator[Decimal]):
    """``amount ± amount`` and ``amount × n`` stay amounts (read back in yuan, not fen);
    ``amount ÷ amount`` is a plain ratio."""

    def _adapt_expression(self, op: Any, other_comparator: Any) -> tuple[Any, TypeEngine[Any]]:
        mine, other = self.type, other_comparator.type
        same_unit = type(other) is type(mine)
        if op in (operators.add, operators.sub) and (same_unit or isinstance(other, Integer)):
            return op, mine
        if op is operators.mul and not isinstance(other, ScaledInteger):
            return op, mine
        if op in (operators.truediv, operators.floordiv):
            return op, (Numeric() if same_unit else mine)
        return super()._adapt_expression(op, other_comparator)


class ScaledInteger(TypeDecorator[Decimal]):
    """A `Decimal` kept as a whole number of units of ``10**-places`` in a ``BIGINT``."""

    impl = BigInteger
    cache_ok = True
    comparator_factory = _Arithmetic
    places = 0

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        if op in _SAME_UNIT:
            return self
        return Integer() if isinstance(value, int) else Numeric()

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class Money(ScaledInteger):
    """An amount in yuan with two decimals, stored as fen."""

    cache_ok = True
    places = 2

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else to_fen(value)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        return "NULL" if value is None else str(to_fen(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_fen(value)


RATE_PLACES = 6
_RATE_UNIT = Decimal(1).scaleb(-RATE_PLACES)


def to_millionths(rate: Decimal | int | str) -> int:
    """A rate as whole millionths; refuses floats and more than six decimals (no rounding:
    a rate is a term of an agreement, not a figure to round)."""
    if isinstance(rate, float | bool):
        raise TypeError(f"a rate must be Decimal, int or str, not {type(rate).__name__}")
    number = rate if isinstance(rate, Decimal) else Decimal(rate)
    if not number.is_finite() or number != number.quantize(_RATE_UNIT):
        raise ValueError(f"rate {number} has more than {RATE_PLACES} decimals")
    return int(number.scaleb(RATE_PLACES))


class Rate(ScaledInteger):
    """A rate or share (0.1250 = 12.5 %), exact to six decimals, stored as millionths."""

    cache_ok = True
    places = RATE_PLACES

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else to_millionths(value)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        return "NULL" if value is None else str(to_millionths(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        millionths = int(value)
        # Four places as agreements write rates (0.1250), six when the rate needs them.
        places = 4 if millionths % 100 == 0 else RATE_PLACES
        return Decimal(millionths).scaleb(-RATE_PLACES).quantize(Decimal(1).scaleb(-places))
