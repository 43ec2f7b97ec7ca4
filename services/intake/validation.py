"""Validating one row of a bank's case file into a typed case record.

Every rule is a small pure function that takes text and returns a value or raises
``ValueError`` with a reason written for the bank; :func:`validate_row` applies them and
turns each failure into a :class:`RowError` naming the row, the bank's own column header,
the value as sent, the reason and its severity. Nothing reads the clock: the day the file
was received and its as-of date are parameters.

**Errors and warnings.** An *error* means the case cannot be worked and the row is
rejected: no account reference, no debtor name, a missing, negative or unreadable total
owed or overdue date, a duplicate account in the file. Anything else malformed or
inconsistent is a *warning*: the case imports with that field left empty (or, for a
total that disagrees with its parts or a stale days-past-due figure, as sent) and the
finding is listed in the report. ``strict`` turns every warning into an error.

**As-of date.** A bank computes 逾期天数 on the day it extracts the file; every "not in
the future" check and the days-past-due check are measured against that as-of date (the
row's as-of column, else the ``as_of`` form field, else the day received). The platform
keeps its own days past due, counted to the day received from the overdue date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from services.intake.mapping import MOBILE_SLOT, REQUIRED_FIELDS, MappedRow, slot_field

T = TypeVar("T")
ERROR, WARNING = "error", "warning"
# A case cannot be worked without these: any problem with them rejects the row.
CASE_DEFINING = frozenset({"account_ref", "debtor_name", "total_owed", "overdue_since"})
CNY = Decimal("0.01")
EARLIEST_DATE = date(1950, 1, 1)  # an overdue date before this is a data error
DPD_TOLERANCE_DAYS = 1  # days_past_due may differ by one from today - overdue_since
AMOUNT_FIELDS = ("principal", "interest", "penalty", "fees")
TEXT_LIMITS = {"debtor_name": 100, "guarantor_name": 100, "contact_name": 100,
               "id_type": 40, "contact_relation": 40, "product_type": 100, "bucket": 40,
               "branch": 100, "home_address": 500, "work_address": 500, "employer": 200,
               "bank_notes": 2000}  # fmt: skip
ACCOUNT_REF_LIMIT = 64
PLAIN_TEXT_FIELDS = ("home_address", "work_address", "employer", "guarantor_name",
                     "contact_name", "contact_relation", "branch", "bank_notes")  # fmt: skip


@dataclass(frozen=True)
class RowError:
    """A finding on one row: ``row`` is the file line (header = line 1); ``bank_row`` the
    bank's own row number (序号) when the file has one."""

    row: int
    column: str  # the bank's own header text
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


@dataclass(frozen=True)
class RowContext:
    """What a row is judged against: the day received (Shanghai), the file's as-of date
    from the ``as_of`` form field (a row's own as-of column wins), and strictness."""

    received: date
    as_of: date | None = None
    strict: bool = False


def severity_for(key: str, *, strict: bool = False) -> str:
    """Error for the fields a case cannot be worked without, warning for any other."""
    return ERROR if strict or slot_field(key) in CASE_DEFINING else WARNING


@dataclass(frozen=True)
class CaseRecord:
    row: int
    account_ref: str
    debtor_name: str
    total_owed: Decimal
    product_type: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phones: tuple[str, ...] = ()
    home_address: str | None = None
    work_address: str | None = None
    employer: str | None = None
    guarantor_name: str | None = None
    guarantor_id_number: str | None = None
    guarantor_phone: str | None = None
    contact_name: str | None = None
    contact_relation: str | None = None
    contact_phone: str | None = None
    principal: Decimal | None = None
    interest: Decimal | None = None
    penalty: Decimal | None = None
    fees: Decimal | None = None
    overdue_since: date | None = None
    days_past_due: int | None = None
    bucket: str | None = None  # as sent, else derived (see bucket_for)
    branch: str | None = None
    bank_notes: str | None = None


def _nfkc(text: str) -> str:
    """Full-width digits, letters, commas and ￥ become their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


# --- amounts --------------------------------------------------------------------------

_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_EXPONENT = re.compile(r"[\d.,]+[eE][+-]?\d+")
_CURRENCY = re.compile(r"^(?:¥|RMB|CNY)|元$", re.IGNORECASE)


def parse_amount(text: str) -> Decimal:
    """CNY amount: ``1,234.56``, ``￥1234.5``, ``¥ 12``, ``12元``, full-width digits.
    Refused: negatives, exponent notation, misplaced thousands separators and more than
    two decimals (trailing zeros such as ``1.500`` are fine: the value is exact)."""
    s = re.sub(r"\s+", "", _nfkc(text))
    s = _CURRENCY.sub("", s)
    negative = s.startswith(("-", "\u2212")) or (s.startswith("(") and s.endswith(")"))
    if negative:
        s = _CURRENCY.sub("", s.strip("-\u2212()"))
    if not s:
        raise ValueError("not an amount")
    if _EXPONENT.fullmatch(s):
        raise ValueError("exponent notation is not accepted: write the amount in full")
    match = _AMOUNT.fullmatch(s)
    if match is None:
        if "," in s and re.fullmatch(r"[\d,]+(\.\d+)?", s):
            raise ValueError("misplaced thousands separator")
        raise ValueError("not an amount")
    if negative:
        raise ValueError("amount is negative")
    if len((match.group(1) or "").rstrip("0")) > 2:
        raise ValueError("more than 2 decimal places (CNY has fen, not less)")
    return Decimal(s.replace(",", "")).quantize(CNY)


# --- dates ----------------------------------------------------------------------------

_DATE_SEPARATED = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_SERIAL = re.compile(r"(\d{1,7})(?:\.\d+)?")


def excel_serial_date(serial: int) -> date:
    """Excel's 1900 date system, leap-year bug included: 1 = 1900-01-01, 60 is the
    non-existent 1900-02-29, and from 61 on the count is one day ahead (61 = 1900-03-01)."""
    if serial == 60:
        raise ValueError("Excel serial 60 is 1900-02-29, a day that does not exist")
    if not 1 <= serial <= 2958465:
        raise ValueError("not an Excel date serial number")
    base = date(1899, 12, 31) if serial < 60 else date(1899, 12, 30)
    return base + timedelta(days=serial)


def parse_date(text: str, *, today: date) -> date:
    """``2026-11-01``, ``2026/11/1``, ``2026.11.1``, ``20261101``, ``2026年11月1日`` (a
    time of day after the date is ignored) or an Excel serial number. Refused: dates after
    ``today`` (for a case file: its as-of date) and before 1950."""
    value = read_date(text)
    if value > today:
        raise ValueError(f"date {value} is in the future (as of {today})")
    return value


def read_date(text: str) -> date:
    """A date in any of :func:`parse_date`'s forms, not before 1950; no future check."""
    s = _nfkc(text)
    parts: tuple[str, str, str] | None = None
    if m := _DATE_SEPARATED.fullmatch(s):
        parts = (m.group(1), m.group(3), m.group(4))
    elif (m := _DATE_CHINESE.fullmatch(s)) or (m := _DATE_COMPACT.fullmatch(s)):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is not None:
        try:
            value = date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError as exc:
            raise ValueError("no such day in the calendar") from exc
    elif m := _EXCEL_SERIAL.fullmatch(s):
        value = excel_serial_date(int(m.group(1)))
    else:
        raise ValueError("not a date (use YYYY-MM-DD)")
    if value < EARLIEST_DATE:
        raise ValueError(f"date {value} is implausible (before {EARLIEST_DATE.year})")
    return value


def parse_days_past_due(text: str) -> int:
    """A non-negative whole number of days; ``35``, ``35天`` and full-width digits."""
    s = _nfkc(text).removesuffix("天").strip()
    if re.fullmatch(r"-\d+", s):
        raise ValueError("days past due cannot be negative")
    if not s.isdigit() or not s.isascii():
        raise ValueError("days past due must be a whole number of days")
    return int(s)


def bucket_for(days_past_due: int) -> str:
    """Our bucket when the bank sends none: M0 = not yet past due, M1 = 1-30 days,
    M2 = 31-60, M3 = 61-90, M4+ = more than 90."""
    if days_past_due < 0:
        raise ValueError("days past due cannot be negative")
    if days_past_due == 0:
        return "M0"
    return "M4+" if days_past_due > 90 else f"M{(days_past_due + 29) // 30}"


def as_of_problem(as_of: date, received: date) -> str | None:
    """A file cannot be extracted after the day it was received."""
    if as_of > received:
        return f"as-of date {as_of} is after the day the file was received ({received})"
    return None


def our_days_past_due(
    overdue_since: date | None, bank_days: int | None, as_of: date, received: date
) -> int | None:
    """Days past due on the day received: counted from the overdue date when there is one,
    else the bank's figure aged from its as-of date. A stale number is never kept."""
    if overdue_since is not None:
        return max(0, (received - overdue_since).days)
    if bank_days is not None:
        return bank_days + max(0, (received - as_of).days)
    return None


def check_days_agree(
    overdue_since: date, days_past_due: int, today: date, tolerance: int = DPD_TOLERANCE_DAYS
) -> str | None:
    """Both given: they must agree within ``tolerance`` days of ``today`` (banks differ on
    whether the first overdue day counts as day 0 or day 1, and extract a day early)."""
    expected = (today - overdue_since).days
    if abs(expected - days_past_due) <= tolerance:
        return None
    return (
        f"{days_past_due} days past due disagrees with overdue since {overdue_since} "
        f"({expected} days before {today})"
    )


def check_total(parts: Mapping[str, Decimal | None], total_owed: Decimal) -> str | None:
    """The parts the row gives (principal, interest, penalty, fees: a bank often sends only
    some of them) must add up to the total owed; both figures are named when they do not."""
    given = {name: value for name, value in parts.items() if value is not None}
    if not given:
        return None
    total = sum(given.values(), Decimal(0))
    if total == total_owed:
        return None
    names = " + ".join(given)
    return f"{names} = {total:.2f} but total owed is {total_owed:.2f}"


# --- identity numbers -----------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
_OTHER_ID_TYPE = re.compile(r"护照|通行证|港|澳|台|军|外国|passport|permit", re.IGNORECASE)
_LEGACY_ID_TYPE = re.compile(r"15|一代|旧|legacy|old", re.IGNORECASE)
_RESIDENT_ID_TYPE = re.compile(r"身份证|居民|resident|^id( ?card)?$", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def id_check_digit(first17: str) -> str:
    """GB 11643-1999: weighted sum of the first 17 digits mod 11, mapped to 1 0 X 9 ... 2."""
    return ID_CHECK_CODES[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_type_kind(id_type: str | None) -> str:
    """``resident`` (18-digit ID: no type given, or one naming 身份证/居民/ID card),
    ``legacy`` (the first-generation 15-digit ID: a type naming 15/一代/旧) or ``other``
    (passports, HK/Macau/Taiwan permits, military and unknown types: only the number's
    shape is checked)."""
    text = _nfkc(id_type or "")
    if not text:
        return "resident"
    if _OTHER_ID_TYPE.search(text):
        return "other"
    if _LEGACY_ID_TYPE.search(text):
        return "legacy"
    return "resident" if _RESIDENT_ID_TYPE.search(text) else "other"


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise ValueError(f"the birth date {digits} inside the ID number is no real day") from exc
    if born > today:
        raise ValueError(f"the birth date {born} inside the ID number is in the future")
    if born.year < 1900:
        raise ValueError(f"the birth date {born} inside the ID number is implausible")
    return born


def parse_id_number(text: str, *, today: date, kind: str = "resident") -> str:
    """An 18-digit resident ID (check digit, birth date; lower-case x accepted, returned
    upper-case). A 15-digit number only when ``kind`` is ``legacy``; ``other`` documents
    need 4-40 letters or digits."""
    s = re.sub(r"\s+", "", _nfkc(text)).upper()
    if _SCIENTIFIC.fullmatch(s):
        raise ValueError("the ID number was turned into scientific notation by Excel: "
                         "format the column as text")  # fmt: skip
    if kind == "other":
        if not re.fullmatch(r"[0-9A-Z()\-]{4,40}", s):
            raise ValueError("not a document number (4-40 letters or digits)")
        return s
    if re.fullmatch(r"\d{15}", s):
        if kind != "legacy":
            raise ValueError(
                "a 15-digit first-generation ID number is accepted only when the ID type "
                "says so (e.g. 一代身份证 / 15位身份证)"
            )
        _birth_date("19" + s[6:12], today)
        return s
    if not re.fullmatch(r"\d{17}[\dX]", s):
        raise ValueError("not an 18-digit resident ID number")
    _birth_date(s[6:14], today)
    if id_check_digit(s[:17]) != s[17]:
        raise ValueError(f"wrong check digit: expected {id_check_digit(s[:17])}")
    return s


# --- phones ---------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[,;/、|]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_EXTENSION = re.compile(r"(?:转|ext\.?|x|#)(\d{1,6})$", re.IGNORECASE)


def split_phones(text: str) -> list[str]:
    """One cell may list several numbers, separated by , ; / 、 or |."""
    return [p.strip() for p in _PHONE_SEPARATORS.split(_nfkc(text)) if p.strip()]


def parse_phone(text: str, *, mobile_only: bool = False) -> str:
    """A mainland mobile ``1[3-9]`` + 9 digits (``+86``/``0086``/``86`` prefix, spaces and
    hyphens dropped) -> ``13812345678``; unless ``mobile_only``, a landline with its area
    code (``010-12345678``, ``(0755)1234567``, extension after 转/ext/#) ->
    ``010-12345678[-ext]``, the area code being 3 digits for 01x/02x and 4 otherwise."""
    s = _nfkc(text)
    extension = ""
    if m := _EXTENSION.search(s):
        extension, s = m.group(1), s[: m.start()]
    digits = re.sub(r"[\s\-()]", "", s)
    international = digits.startswith(("+86", "0086"))
    digits = digits.removeprefix("+86").removeprefix("0086")
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if not digits.isdigit() or not digits.isascii():
        raise ValueError("not a phone number")
    if _MOBILE.fullmatch(digits) and not extension:
        return digits
    if mobile_only:
        raise ValueError("not a mainland mobile number (11 digits starting 13-19)")
    if international and not digits.startswith("0"):
        digits = "0" + digits
    if not digits.startswith("0"):
        raise ValueError("not a mainland mobile number, nor a landline with its area code")
    area_length = 3 if digits[1] in "12" else 4
    area, local = digits[:area_length], digits[area_length:]
    if not re.fullmatch(r"[1-9]\d{6,7}", local):
        raise ValueError("not a landline number (area code + 7 or 8 digits)")
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


# --- the row --------------------------------------------------------------------------


class _Row:
    """Collects the errors of one row while its cells are parsed."""

    def __init__(
        self,
        number: int,
        raw: Mapping[str, str | list[str]],
        headers: Mapping[str, str],
        strict: bool,
    ) -> None:
        self.number = number
        self.raw = raw
        self.headers = headers
        self.strict = strict
        self.errors: list[RowError] = []

    def text(self, key: str) -> str:
        value = self.raw.get(key, "")
        return ",".join(value) if isinstance(value, list) else value.strip()

    def fail(self, key: str, value: str, reason: str, severity: str | None = None) -> None:
        """Record a finding; its severity follows the field unless given (strict: error)."""
        if severity is None or self.strict:
            severity = severity_for(key, strict=self.strict)
        column = self.headers.get(key, key)
        self.errors.append(RowError(self.number, column, value, reason, severity))

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

    def phones(self) -> tuple[str, ...]:
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
        return tuple(found)


def parse_account_ref(text: str) -> str:
    """The bank's account/card/contract reference, as sent (trimmed)."""
    if _SCIENTIFIC.fullmatch(text):
        raise ValueError("the reference was turned into scientific notation by Excel: "
                         "format the column as text")  # fmt: skip
    if len(text) > ACCOUNT_REF_LIMIT or not text.isprintable():
        raise ValueError(f"not a reference (printable, at most {ACCOUNT_REF_LIMIT} characters)")
    return text


def _row_as_of(row: _Row, ctx: RowContext) -> date:
    """The row's as-of column, else the form field, else the day received. An unreadable
    as-of is a warning (the fallback is used); one after the day received is an error."""
    fallback = ctx.as_of or ctx.received
    text = row.text("as_of")
    if not text:
        return fallback
    try:
        value = read_date(text)
    except ValueError as exc:
        row.fail("as_of", text, f"{exc}; dates judged as of {fallback}", WARNING)
        return fallback
    if problem := as_of_problem(value, ctx.received):
        row.fail("as_of", text, problem, ERROR)
        return fallback
    return value


def validate_row(
    row_number: int,
    raw: Mapping[str, str | list[str]],
    headers_for_field: Mapping[str, str],
    *,
    ctx: RowContext,
) -> tuple[CaseRecord | None, list[RowError]]:
    """One row keyed by field (phones: any phone slot, see :mod:`mapping`) into a record
    and every finding; the record is None when a finding is an error. A field with a
    warning is left empty. ``headers_for_field`` gives each key's bank header."""
    row = _Row(row_number, raw, headers_for_field, ctx.strict)
    for name in REQUIRED_FIELDS:
        if not row.text(name):
            row.fail(name, "", "required value missing")
    if "overdue_since" in raw and not row.text("overdue_since"):
        row.fail("overdue_since", "", "required value missing")
    as_of = _row_as_of(row, ctx)
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
    bucket = row.plain("bucket") or (None if days is None else bucket_for(days))
    fields = {
        "account_ref": row.parse("account_ref", parse_account_ref),
        "debtor_name": row.plain("debtor_name"),
        "product_type": row.plain("product_type"),
        "id_type": id_type,
        "id_number": row.parse("id_number", lambda t: parse_id_number(t, today=as_of, kind=kind)),
        "phones": row.phones(),
        "guarantor_id_number": row.parse(
            "guarantor_id_number", lambda t: parse_id_number(t, today=as_of)
        ),
        "guarantor_phone": row.parse("guarantor_phone", parse_phone),
        "contact_phone": row.parse("contact_phone", parse_phone),
        **{name: row.plain(name) for name in PLAIN_TEXT_FIELDS},
    }
    if total_owed is None or any(e.is_error for e in row.errors):
        return None, row.errors
    record = CaseRecord(
        row=row_number, total_owed=total_owed, overdue_since=overdue_since,
        days_past_due=days, bucket=bucket, **amounts, **fields,  # type: ignore[arg-type]
    )  # fmt: skip
    return record, row.errors


def validate_mapped(
    row_number: int, mapped: MappedRow, *, ctx: RowContext
) -> tuple[CaseRecord | None, list[RowError]]:
    """:func:`validate_row` for a row from ``HeaderMap.extract``; cells beyond the last
    header are an error too (usually an amount with an unquoted comma, which shifts every
    later cell, so no value of the row can be trusted)."""
    record, errors = validate_row(row_number, mapped.raw, mapped.headers_for_field, ctx=ctx)
    if mapped.extra:
        reason = f"{len(mapped.extra)} value(s) beyond the last column: check for unquoted commas"
        errors.append(RowError(row_number, "", ",".join(mapped.extra), reason))
        record = None
    return record, errors


class DuplicateTracker:
    """Account references already seen in one file: the first row is remembered (one
    entry per reference), later rows with the same reference are errors."""

    def __init__(self) -> None:
        self._first_row: dict[str, int] = {}

    def first_row(self, account_ref: str) -> int | None:
        return self._first_row.get(account_ref)

    def check(self, row_number: int, account_ref: str, column: str) -> RowError | None:
        first = self._first_row.setdefault(account_ref, row_number)
        if first == row_number:
            return None
        reason = f"duplicate account reference (first on line {first})"
        return RowError(row_number, column, account_ref, reason)
