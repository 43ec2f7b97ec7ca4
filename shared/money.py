"""The one money column type every table uses: amounts in yuan as `Decimal`, to the fen.

Declare a money column as ``Column(Money(), nullable=...)``. The storage behind it is
this module's business (see the exact-money work); callers only ever see `Decimal`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class Money(TypeDecorator[Decimal]):
    """An amount in yuan with two decimals."""

    impl = Numeric(18, 2)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"))
