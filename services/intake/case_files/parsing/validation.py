"""Validating one row of a bank's case file into a :class:`CaseRow` and its findings.

:func:`validate_row` applies the value rules (:mod:`values`) and turns each failure into
a :class:`Finding` naming the file line, the bank's own column header, the value as sent,
the reason and its severity. Nothing reads the clock: the day the file was received and
its as-of date are parameters.

**Errors and warnings.** An *error* means the case cannot be worked and the row is
rejected: no account reference, no debtor name, a missing, negative or unreadable total
owed or overdue date (missing: when the file has the column), cells beyond the last
column (the values are shifted). Anything else malformed or inconsistent is a *warning*:
the case imports with that field left empty (or, for a total that disagrees with its
parts or a stale days-past-due figure, as sent) and the finding is reported. ``strict``
turns every warning into an error.

**As-of date.** A bank computes 逾期天数 on the day it extracts the file; every "not in
the future" check and the days-past-due check are measured against that as-of date (the
row's as-of column, else the ``as_of`` form field, else the day received). The platform
keeps its own days past due, counted to the day received (``days_past_due_on``) by the
rule of ``shared.pastdue``; the bank's 账龄 label is kept as sent, never used to count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from services.intake.case_files.parsing.mapping import (
    MOBILE_SLOT,
    REQUIRED_FIELDS,
    MappedRow,
    slot_field,
)
from services.intake.case_files.parsing.rows import ERROR, WARNING, CaseRow, Finding
from services.intake.case_files.parsing.values import (
    id_type_kind,
    parse_account_ref,
    parse_amount,
    parse_date,
    parse_days_past_due,
    parse_id_number,
    parse_phone,
    read_date,
    split_phones,
)
from shared.pastdue import days_past_due, first_overdue_day

T = TypeVar("T")
# A case cannot be worked without these: any problem with them rejects the row.
CASE_DEFINING = frozenset({"account_ref", "debtor_name", "total_owed", "overdue_since"})
DPD_TOLERANCE_DAYS = 1  # banks differ on whether the first overdue day is day 0 or day 1
AMOUNT_FIELDS = ("principal", "interest", "penalty", "fees")
TEXT_LIMITS = {"debtor_name": 100, "guarantor_name": 100, "contact_name": 100,
               "id_type": 40, "contact_relation": 40, "product_type": 100, "bucket": 40,
               "branch": 100, "home_address": 500, "work_address": 500, "employer": 200,
               "bank_notes": 2000}  # fmt: skip
PLAIN_TEXT_FIELDS = ("home_address", "work_address", "employer", "branch")


@dataclass(frozen=True)
class RowContext:
    """What a row is judged against: the day received (Shanghai), the file's as-of date
    from the ``as_of`` form field (a row's own as-of column wins), and strictness."""

    received: date
    as_of: date | None = None
    strict: bool = False


# --- the pure rules of a row -------------------------------------------------------------


def severity_for(key: str, *, strict: bool = False) -> str:
    """Error for the fields a case cannot be worked without, warning for any other."""
    return ERROR if strict or slot_field(key) in CASE_DEFINING else WARNING


def as_of_problem(as_of: date, received: date) -> str | None:
    """A file cannot be extracted after the day it was received."""
    if as_of > received:
        return f"as-of date {as_of} is after the day the file was received ({received})"
    return None


def our_days_past_due(
    overdue_since: date | None, bank_days: int | None, as_of: date, received: date
) -> int | None:
    """Days past due on the day received (``shared.pastdue``): counted from the overdue
    date when there is one, else the bank's figure aged from its as-of date. A stale
    number is never kept; None when the file gives neither."""
    first = first_overdue_day(overdue_since, bank_days, as_of)
    return None if first is None else days_past_due(first, received)


def check_days_agree(
    overdue_since: date, days_past_due: int, as_of: date, tolerance: int = DPD_TOLERANCE_DAYS
) -> str | None:
    """Both given: they must agree within ``tolerance`` days of the as-of date."""
    expected = (as_of - overdue_since).days
    if abs(expected - days_past_due) <= tolerance:
        return None
    return (
        f"{days_past_due} days past due disagrees with overdue since {overdue_since} "
        f"({expected} days before {as_of})"
    )


def check_total(parts: Mapping[str, Decimal | None], total_owed: Decimal) -> str | None:
    """The parts the row gives (principal, interest, penalty, fees) against the total owed.

    A bank that itemises (two parts or more) must add up to its total; one that sends a
    single part, typically the principal alone, leaves the rest of the total unexplained,
    so that part only must not exceed it. Both figures are named when they disagree."""
    given = {name: value for name, value in parts.items() if value is not None}
    if not given:
        return None
    total = sum(given.values(), Decimal(0))
    if total == total_owed or (len(given) == 1 and total < total_owed):
        return None
    if len(given) == 1:
        return f"{next(iter(given))} = {total:.2f} exceeds total owed {total_owed:.2f}"
    return f"{' + '.join(given)} = {total:.2f} but total owed is {total_owed:.2f}"


# --- the row -----------------------------------------------------------------------------


class _Row:
    """Collects the findings of one row while its cells are parsed."""

    def __init__(self, line: int, mapped: MappedRow, strict: bool) -> None:
        self.line = line
        self.raw = mapped.raw
        self.headers = mapped.headers_for_field
        self.strict = strict
        self.findings: list[Finding] = []
        self.own_as_of: date | None = None
        self.cells = {
            key: ",".join(value) if isinstance(value, list) else value.strip()
            for key, value in mapped.raw.items()
        }

    def text(self, key: str) -> str:
        return self.cells.get(key, "")

    def fail(self, key: str, value: str, reason: str, severity: str | None = None) -> None:
        """Record a finding; its severity follows the field unless given (strict: error)."""
        if severity is None or self.strict:
            severity = severity_for(key, strict=self.strict)
        column = self.headers.get(key, key)
        self.findings.append(Finding(self.line, column, value, reason, severity))

    def parse(self, key: str, rule: Callable[[str], T]) -> T | None:
        value = self.text(key)
        if not value:
            return None
        try:
            return rule(value)
        except ValueError as exc:
            self.fail(key, value, str(exc))
            return None

    def plain(self, key: str) -> str | None:
        value = self.text(key)
        limit = TEXT_LIMITS.get(key)
        if limit is not None and len(value) > limit:
            self.fail(key, value, f"longer than {limit} characters")
            return None
        return value or None

    def phones(self) -> list[str]:
        found: dict[str, None] = {}
        for key, value in self.raw.items():
            if slot_field(key) != "phones":
                continue
            mobile_only = key.split("#", 1)[0] == MOBILE_SLOT
            for cell in value if isinstance(value, list) else [value]:
                for number in split_phones(cell):
                    try:
                        found[parse_phone(number, mobile_only=mobile_only)] = None
                    except ValueError as exc:
                        self.fail(key, number, str(exc))
        return list(found)

    def as_of(self, ctx: RowContext) -> date:
        """The row's as-of column, else the form field, else the day received. An
        unreadable as-of is a warning (the fallback is used); a future one an error."""
        fallback = ctx.as_of or ctx.received
        text = self.text("as_of")
        if not text:
            return fallback
        try:
            value = read_date(text)
        except ValueError as exc:
            self.fail("as_of", text, f"{exc}; dates judged as of {fallback}", WARNING)
            return fallback
        if problem := as_of_problem(value, ctx.received):
            self.fail("as_of", text, problem, ERROR)
            return fallback
        self.own_as_of = value
        return value

    def contacts(self, as_of: date) -> list[dict[str, Any]]:
        """The guarantor and the contact person, as the ``contacts`` column keeps them."""
        found: list[dict[str, Any]] = []
        name, phone = self.plain("guarantor_name"), self.parse("guarantor_phone", parse_phone)
        id_number = self.parse("guarantor_id_number", lambda t: parse_id_number(t, today=as_of))
        if name or phone or id_number:
            found.append(_contact(name, "guarantor", phone, id_number))
        name, phone = self.plain("contact_name"), self.parse("contact_phone", parse_phone)
        relation = self.plain("contact_relation")
        if name or phone:
            found.append(_contact(name, relation, phone, None))
        return found


def _contact(
    name: str | None, relation: str | None, phone: str | None, id_number: str | None
) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name or "", "relation": relation, "phones": []}
    if phone:
        found["phones"] = [phone]
    if id_number:
        found["id_type"], found["id_number"] = "resident_id", id_number
    return found


def validate_row(
    line: int, mapped: MappedRow, *, ctx: RowContext
) -> tuple[CaseRow | None, list[Finding]]:
    """One row keyed by field (phones: any phone slot, see :mod:`mapping`) into a case row
    and every finding; the case row is None when a finding is an error. A field with a
    warning is left empty."""
    row = _Row(line, mapped, ctx.strict)
    for name in REQUIRED_FIELDS:
        if not row.text(name):
            row.fail(name, "", "required value missing")
    if "overdue_since" in row.raw and not row.text("overdue_since"):
        row.fail("overdue_since", "", "required value missing")
    as_of = row.as_of(ctx)
    id_type = row.plain("id_type")
    kind = id_type_kind(id_type)
    amounts = {name: row.parse(name, parse_amount) for name in AMOUNT_FIELDS}
    total_owed = row.parse("total_owed", parse_amount)
    overdue_since = row.parse("overdue_since", lambda t: parse_date(t, today=as_of))
    bank_days = row.parse("days_past_due", parse_days_past_due)
    if total_owed is not None and (problem := check_total(amounts, total_owed)):
        row.fail("total_owed", row.text("total_owed"), problem, WARNING)
    if (
        overdue_since is not None
        and bank_days is not None
        and (problem := check_days_agree(overdue_since, bank_days, as_of))
    ):
        row.fail("days_past_due", row.text("days_past_due"), problem)
    days = our_days_past_due(overdue_since, bank_days, as_of, ctx.received)
    case = CaseRow(
        line=line,
        account_ref=row.parse("account_ref", parse_account_ref) or "",
        debtor_name=row.plain("debtor_name") or "",
        total_owed=total_owed or Decimal(0),
        product_type=row.plain("product_type"),
        id_type=id_type,
        id_number=row.parse("id_number", lambda t: parse_id_number(t, today=as_of, kind=kind)),
        phones=row.phones(),
        contacts=row.contacts(as_of),
        overdue_since=overdue_since,
        days_past_due=days,
        days_past_due_on=None if days is None else ctx.received,
        bucket=row.plain("bucket"),
        notes=row.plain("bank_notes"),
        as_of=row.own_as_of,
        **amounts,
        **{name: row.plain(name) for name in PLAIN_TEXT_FIELDS},
    )
    if case.id_number and not case.id_type:
        case.id_type = "resident_id"
    if mapped.extra:
        reason = f"{len(mapped.extra)} value(s) beyond the last column: check for unquoted commas"
        row.findings.append(Finding(line, "", ",".join(mapped.extra), reason))
    if total_owed is None or any(f.is_error for f in row.findings):
        return None, row.findings
    return case, row.findings
