"""The one shape a case takes on its way in, and what is found wrong with a row.

A row of a bank's file becomes a :class:`CaseRow` in the columns of our ``cases`` table;
the writer inserts it and serialises its ``CaseImported`` from it, with no other shape in
between. Each problem is a :class:`Finding` with a severity: an *error* rejects the row,
a *warning* leaves the case importable with that field left empty or flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """``row`` is the line in the file (the header is line 1); ``bank_row`` the bank's own
    row number (序号/行号) when the file has one; ``column`` the bank's own header."""

    row: int
    column: str
    value: str
    reason: str
    severity: str = ERROR
    bank_row: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, str | int | None]:
        return {"row": self.row, "bank_row": self.bank_row, "severity": self.severity,
                "column": self.column, "value": self.value, "reason": self.reason}  # fmt: skip


@dataclass
class CaseRow:
    """One row that can be worked, in the columns of the ``cases`` table (None: not sent,
    or left empty for a warning), with its line in the file and the bank's row number."""

    line: int
    account_ref: str
    debtor_name: str
    total_owed: Decimal
    product_type: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phones: list[str] = field(default_factory=list)
    home_address: str | None = None
    work_address: str | None = None
    employer: str | None = None
    contacts: list[dict[str, Any]] = field(default_factory=list)
    principal: Decimal | None = None
    interest: Decimal | None = None
    penalty: Decimal | None = None
    fees: Decimal | None = None
    overdue_since: date | None = None
    days_past_due: int | None = None
    days_past_due_on: date | None = None
    bucket: str | None = None  # the bank's own 账龄 label, as sent
    branch: str | None = None
    notes: str | None = None
    bank_row: str | None = None
    as_of: date | None = None  # the row's own as-of column, when it gave a usable one


# The fields of a CaseRow that are columns of ``cases``; all but the account may change.
CASE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(CaseRow) if f.name not in ("line", "bank_row", "as_of")
)
UPDATABLE: tuple[str, ...] = tuple(f for f in CASE_FIELDS if f != "account_ref")
